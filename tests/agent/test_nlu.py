"""The trained understanding model: its corpus, its training, and what it reads.

The phrasings of the issue that reported the chat mishearing people are checked here as
regressions; the model's generality is measured on the held-out test split.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import Any

import pytest

from bot.agent.intent import Context
from bot.agent.nlu import more, vocab
from bot.agent.nlu.evaluate import (
    VALIDATION_EVERY,
    _family_index,
    evaluate,
    report,
    validation_split,
)
from bot.agent.nlu.generate import build_corpus, read_corpus
from bot.agent.nlu.model import POSITIVE_SIGNALS, Understanding, trained
from bot.agent.nlu.natural import held_out_in, read_natural, strict, training_records
from bot.agent.nlu.reader import read_message
from bot.agent.rules_model import small_talk
from recommender.search import simplify


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, Any]]:
    return read_corpus()


def test_the_committed_corpus_is_what_the_generator_writes(corpus: list[dict[str, Any]]) -> None:
    assert build_corpus() == corpus


def test_the_corpus_is_big_and_varied(corpus: list[dict[str, Any]]) -> None:
    assert len(corpus) >= 3000
    intents = Counter(p["intent"] for r in corpus for p in r["parts"])
    assert set(intents) == {"recommend", "rerank", "explain", "feedback", "personality", "chat",
                            "unclear"}
    assert sum(len(r["parts"]) > 1 for r in corpus) >= 300
    signals = Counter(p["slots"]["signal"] for r in corpus for p in r["parts"]
                      if p["intent"] == "feedback")
    assert len(signals) == 7


def test_test_families_and_held_words_never_reach_training(
        corpus: list[dict[str, Any]]) -> None:
    families = {split: {r["family"] for r in corpus if r["split"] == split}
                for split in ("train", "test")}
    assert families["train"] and families["test"]
    assert not families["train"] & families["test"]
    train_text = " ".join(r["text"].lower() for r in corpus if r["split"] == "train")
    for word in ("loathe", "detest", "stunning", "superb", "wistful", "euphoric"):
        assert word in " ".join(vocab.LIKE.held + vocab.DISLIKE.held + vocab.MOODS.held)
        assert word not in train_text, word
    test_text = " ".join(r["text"].lower() for r in corpus if r["split"] == "test")
    assert "loathe" in test_text


def test_hand_written_messages_train_and_keep_the_test_split_strict(
        corpus: list[dict[str, Any]]) -> None:
    natural = read_natural()
    assert len(natural) >= 600
    intents = Counter(r["parts"][0]["intent"] for r in natural)
    assert set(intents) == {"recommend", "rerank", "explain", "feedback", "personality", "chat",
                            "unclear"}
    assert all(len(r["parts"]) == 1 for r in natural)
    signals = {r["parts"][0]["slots"]["signal"] for r in natural
               if r["parts"][0]["intent"] == "feedback"}
    assert signals == POSITIVE_SIGNALS | {"dislike", "skip"}
    held = {r["text"].lower().strip(" .!?") for r in corpus if r["split"] in ("test", "shared")}
    # a held-out word, a word only held-out templates use, or a held-out frame keeps a
    # message out of training, and so does any message a held-out split holds
    assert held_out_in("i really detest #3") and held_out_in("number 2 slaps ngl")
    assert held_out_in("something wistful please") and not held_out_in("i hate #3")
    kept = strict(natural)
    assert not [r["text"] for r in kept if r["text"].lower().strip(" .!?") in held]
    assert 0.8 * len(natural) < len(kept) < len(natural)
    trained_on = " ".join(r["text"].lower() for r in training_records())
    for word in ("loathe", "detest", "stunning", "superb", "wistful", "euphoric", "perkier"):
        assert not re.search(rf"\b{word}\b", trained_on), word


def _held_vocabulary() -> list[str]:
    """Every held-out filler word of ``vocab`` (genres, moods, titles, trait words …)."""
    lists = [vocab.GENRES, vocab.MOODS, vocab.ACTIVITIES, vocab.DECADES, vocab.YEARS,
             vocab.TITLES, vocab.ARTISTS, *vocab.TRAIT_WORDS.values()]
    return [word.lower() for words in lists for word in words.held]


def _has(text: str, phrase: str) -> bool:
    for name in (*vocab.TITLES.train, *vocab.ARTISTS.train):  # "funk" in "Uptown Funk"
        text = text.replace(name.lower(), " ")
    return re.search(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", text) is not None


def test_the_second_round_uses_no_held_out_word_or_template(
        corpus: list[dict[str, Any]]) -> None:
    second = [r for r in corpus if r["family"].startswith("more.")]
    assert len(second) > 1000 and {r["split"] for r in second} == {"train"}
    text = "\n".join(r["text"].lower() for r in second)
    for word in _held_vocabulary():
        assert not _has(text, word), word
    templates = {t for name in dir(more) for t in _templates(getattr(more, name))}
    held = {t for name in dir(vocab) for t in _templates(getattr(vocab, name), held=True)}
    assert templates and held and not templates & held
    held_refs = {"item", "pick", "position", "entry", "penultimate", "very last"}
    assert not [style for style in more.REF_STYLES if any(w in style for w in held_refs)]


def _templates(value: Any, held: bool = False) -> set[str]:
    if isinstance(value, vocab.Words):
        return set(value.held if held else value.train)
    if isinstance(value, dict):
        return {t for v in value.values() for t in _templates(v, held)}
    if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
        return set() if held else set(value)
    return set()


def test_the_strict_test_split_is_frozen(corpus: list[dict[str, Any]]) -> None:
    """The first round's test split, byte for byte: nothing may be tuned into it."""
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in corpus
             if r["split"] == "test"]
    assert len(lines) == 1071
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    assert digest == TEST_SPLIT_SHA256


TEST_SPLIT_SHA256 = "b18c6feaa692088e4dab7d2beb8a50acdc829629334376356be3668fecce0cad"  # as on main


def test_the_shared_vocabulary_split_is_held_out_templates_with_training_words(
        corpus: list[dict[str, Any]]) -> None:
    shared = [r for r in corpus if r["split"] == "shared"]
    train_families = {r["family"] for r in corpus if r["split"] == "train"}
    test_families = {r["family"].replace(".test.", ".shared.") for r in corpus
                     if r["split"] == "test" and not r["family"].startswith("multi.")}
    assert len(shared) > 1000
    singles = {r["family"] for r in shared if not r["family"].startswith("multi.")}
    assert singles == test_families and not singles & train_families
    text = "\n".join(r["text"].lower() for r in shared)
    for word in _held_vocabulary():
        assert not _has(text, word), word


def test_the_validation_split_holds_out_whole_training_families(
        corpus: list[dict[str, Any]]) -> None:
    train = [r for r in corpus if r["split"] == "train"]
    fit, check = validation_split(train)
    assert len(fit) + len(check) == len(train) and len(check) > len(train) // 8
    single = [r for r in check if "multi." not in r["family"]]
    def held_out(family: str) -> bool:
        index = _family_index(family)
        return index is not None and index % VALIDATION_EVERY == VALIDATION_EVERY - 1
    assert {r["family"] for r in single if held_out(r["family"])}
    assert not [r for r in fit if held_out(r["family"])]
    held = {r["text"].rstrip(".! ") for r in single}
    assert not held & {r["text"].rstrip(".! ") for r in fit}
    assert not [r["text"] for r in fit if "multi." in r["family"]
                and any(r["text"].startswith(t) or r["text"].endswith(t) for t in held)]


def test_the_report_labels_every_split(corpus: list[dict[str, Any]]) -> None:
    scores = evaluate([r for r in corpus if r["split"] == "shared"][:40], trained())
    table = report([("train", scores), ("validation", scores), ("test", scores),
                    ("shared-vocab", scores)], scores)
    assert table.splitlines()[0].split() == ["train", "validation", "test", "shared-vocab"]
    assert "intent accuracy" in table and "confusion on the test split" in table


def test_training_is_deterministic(corpus: list[dict[str, Any]]) -> None:
    again = Understanding(training_records())
    texts = [r["text"] for r in corpus if r["split"] == "test"][:200]
    model = trained()
    assert [model.intent_of(t) for t in texts] == [again.intent_of(t) for t in texts]


def test_the_held_out_split_is_read_well(corpus: list[dict[str, Any]]) -> None:
    """A floor under today's figures (docs/NLU.md), so a change that loses ground fails."""
    scores = evaluate([r for r in corpus if r["split"] == "test"], trained())
    # plain numbers, so that a failure prints no test-split message (nobody may read them)
    accuracy, slot_f1, inverted = scores.intent_accuracy, scores.slot_f1, scores.inverted
    assert accuracy >= 0.855  # 85.81 % in session 24 (85.06 % in session 23)
    assert slot_f1 >= 0.86  # 86.48 % (85.64 %)
    # unsure feedback is asked about, never guessed (the one test-split feedback read with the
    # wrong sign since the fourth round is gone since the sixth: docs/NLU.md)
    assert inverted == 0
    train = evaluate([r for r in corpus if r["split"] == "train"][::8], trained())
    assert train.intent_accuracy >= 0.95  # the feedback guards ask about some (docs/NLU.md)
    assert train.inverted == 0


def calls(text: str, context: Context | None = None) -> list[tuple[str, dict[str, Any]]]:
    reading = read_message(text, context or Context(list_length=50))
    return [(r.name, r.args) for r in reading.requests]


@pytest.mark.parametrize(("text", "expected"), [
    ("I hate number 1, never play it again", [("feedback", {"track": "1", "signal": "dislike"})]),
    ("please never play number 3 again", [("feedback", {"track": "3", "signal": "dislike"})]),
    ("track 5 is trash", [("feedback", {"track": "5", "signal": "dislike"})]),
    ("number 2 slaps", [("feedback", {"track": "2", "signal": "like"})]),
    ("could you rank the least known songs first", [("rerank", {"criterion": "less_popular"})]),
    ("order them happiest to saddest", [("rerank", {"criterion": "happier"})]),
    ("put the hip hop ones at the top", [("rerank", {"criterion": "genre", "genre": "rap"})]),
    ("play Bohemian Rhapsody by Queen",
     [("recommend", {"request": "", "similar_to": "Bohemian Rhapsody by Queen",
                     "play": True})]),
    ("don't skip it, it's great", [("feedback", {"track": "1", "signal": "like"})]),
    ("love #2, now something a bit calmer",
     [("feedback", {"track": "2", "signal": "like"}), ("rerank", {"criterion": "calmer"})]),
])
def test_the_reported_mishearings(text: str, expected: list[tuple[str, dict[str, Any]]]) -> None:
    assert calls(text) == expected


def test_a_reference_follows_the_track_discussed() -> None:
    context = Context(list_length=50)
    assert calls("tell me about number 4", context) == [("explain", {"track": "4"})]
    assert calls("why is it here?", context) == [("explain", {"track": "4"})]
    assert calls("I don't like it", context) == [("feedback", {"track": "4", "signal": "dislike"})]


@pytest.mark.parametrize("text", [
    "number 3 is kinda whatever",
    "hmm, number 2",
    "number 4 is something else",
])
def test_unsure_feedback_is_asked_about_not_recorded(text: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert not [r for r in reading.requests if r.name == "feedback"]


@pytest.mark.parametrize("text", ["what is number 1", "which one is #3?", "who sings number 3",
                                  "what about number 4?"])
def test_a_question_without_an_opinion_records_nothing(text: str) -> None:
    # its shape can read as a like; with no opinion word in it, it asks about the track
    reading = read_message(text, Context(list_length=50))
    assert not [r for r in reading.requests if r.name == "feedback"]


@pytest.mark.parametrize("text", ["I'm bored of this list", "so sick of these songs"])
def test_being_tired_of_the_list_asks_for_a_new_one(text: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert [(r.name, r.args) for r in reading.requests] == [("recommend", {"request": ""})]


@pytest.mark.parametrize("text", ["I'm tired of it all", "these are great",
                                  "none of these are good", "this list sucks",
                                  "I love this list", "I hate all of them"])
def test_an_opinion_of_the_whole_list_is_no_opinion_of_its_first_track(text: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert not reading.requests
    assert reading.clarification and "whole list" in reading.clarification


@pytest.mark.parametrize("text", ["I'm tired", "im in a good mood", "I'm bored"])
def test_how_the_listener_feels_is_no_opinion_of_a_track(text: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert not [r for r in reading.requests if r.name in ("feedback", "personality")]


@pytest.mark.parametrize("text", ["#2 could be better", "#4 should've been better",
                                  "#3 used to be good", "#5 is better than nothing",
                                  "#6 is supposed to be good", "#9 could be worse",
                                  "#8 would be great if it were shorter"])
def test_what_a_track_could_be_is_no_opinion_of_it(text: str) -> None:
    # said of what could be, should be or used to be, the sign is often the other way
    reading = read_message(text, Context(list_length=50))
    assert not [r for r in reading.requests if r.name == "feedback"]


@pytest.mark.parametrize(("text", "criterion"), [
    ("shuffle", "shuffle"), ("mix them up please", "shuffle"),
    ("can you shuffle the list", "shuffle"), ("reverse the order", "reverse"),
    ("flip the list", "reverse")])
def test_shuffling_and_reversing_the_list(text: str, criterion: str) -> None:
    assert calls(text) == [("rerank", {"criterion": criterion})]


@pytest.mark.parametrize(("text", "tracks", "signal"), [
    ("skip 4 and 5", ["4", "5"], "skip"), ("love the first two", ["1", "2"], "like"),
    ("dislike number 4, 6 and 9", ["4", "6", "9"], "dislike"),
    ("#3 and #7 are trash", ["3", "7"], "dislike"),
    ("the 2nd and 4th are great", ["2", "4"], "like")])
def test_feedback_on_several_tracks_is_one_feedback_each(text: str, tracks: list[str],
                                                         signal: str) -> None:
    assert calls(text) == [("feedback", {"track": t, "signal": signal}) for t in tracks]


@pytest.mark.parametrize("text", ["that's better", "much better", "ok that's more like it",
                                  "perfect, thanks"])
def test_a_nod_to_the_last_change_asks_for_nothing(text: str) -> None:
    assert calls(text) == []  # "that's better" was a reordering, most popular first


@pytest.mark.parametrize(("text", "track"), [
    ("more of #4", "4"), ("give me more of number 7 please", "7"),
    ("I'd like more of the 5th", "5"), ("more of the last one", "50")])
def test_more_of_a_track_is_music_like_it(text: str, track: str) -> None:
    # "more of #4" was recorded as a dislike of #4
    assert calls(text) == [("recommend", {"request": "", "similar_to": track})]


@pytest.mark.parametrize("text", ["less rap", "put the rap at the bottom", "rap last",
                                  "move the rap songs down"])
def test_a_genre_sent_to_the_bottom(text: str) -> None:
    # "put the rap at the bottom" put rap first; "rap last" made a rap-only list
    assert calls(text) == [("rerank", {"criterion": "genre_last", "genre": "rap"})]


@pytest.mark.parametrize(("text", "track"), [("how popular is number 8", "8"),
                                           ("what genre is #4", "4"),
                                           ("who made number 9", "9")])
def test_a_question_about_a_track_explains_it(text: str, track: str) -> None:
    # "how popular is number 8" was recorded as a like
    assert calls(text) == [("explain", {"track": track})]


def test_an_exclamation_is_no_question() -> None:
    assert calls("what a banger #3 is") == [("feedback", {"track": "3", "signal": "like"})]


@pytest.mark.parametrize(("text", "low", "high"), [
    ("some 70s and 80s rock", 1970, 1989), ("songs from the 80s to the 2000s", 1980, 2009),
    ("90s or 2000s hip hop", 1990, 2009)])
def test_two_decades_are_a_range_of_years(text: str, low: int, high: int) -> None:
    (name, args), = calls(text)
    assert name == "recommend" and (args["min_year"], args["max_year"]) == (low, high)
    assert "decade" not in args


@pytest.mark.parametrize("text", ["surprise me", "refresh the list please", "start over",
                                  "give me a new batch", "you pick"])
def test_a_new_list_of_anything(text: str) -> None:
    assert calls(text) == [("recommend", {"request": ""})]  # these asked for nothing before


@pytest.mark.parametrize(("text", "left_out"), [
    ("anything but rap", ["rap"]), ("everything but country please", ["country"])])
def test_everything_but_a_genre_leaves_it_out(text: str, left_out: list[str]) -> None:
    (name, args), = calls(text)
    assert name == "recommend" and args["exclude_genres"] == left_out
    assert "include_genres" not in args


@pytest.mark.parametrize("text", ["#99999 is great", "track 0 sucks"])
def test_a_number_the_list_lacks_records_nothing(text: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert not reading.requests  # both were recorded on the track discussed or #1
    assert reading.clarification and reading.clarification.startswith("The list has 50 tracks")


def test_the_question_offers_the_choices() -> None:
    reading = read_message("number 10 is glorp", Context(list_length=50))
    assert not reading.requests
    # which question depends on the way the models lean on a word they never saw; both name
    # the track and offer keeping it or never showing it again
    assert reading.clarification in (
        "Do you want me to skip #10, or never show it again?",
        'Did you like #10 or not? Say "I like #10" or "never show #10 again".')


@pytest.mark.parametrize("text", ["never again with number 10", "number 10, never again please",
                                  "don't ever put number 10 on again"])
def test_never_again_is_never_a_positive_signal(text: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert not [r for r in reading.requests if r.name == "feedback"
                and r.args["signal"] in POSITIVE_SIGNALS]


@pytest.mark.parametrize("text", ["asdkjh qwe", "hmm", "the thing", "purple"])
def test_an_unclear_message_asks_for_nothing(text: str) -> None:
    assert calls(text) == []


@pytest.mark.parametrize("text", [
    "#4 isn't a skip for me", "number 4 is a no-skip", "I don't dislike number 4",
    "I don't hate number 4", "number 4? I would never skip that",
])
def test_a_negated_negative_is_never_recorded_as_negative(text: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert not [r for r in reading.requests if r.name == "feedback"
                and r.args["signal"] not in POSITIVE_SIGNALS]


@pytest.mark.parametrize(("text", "track"), [
    ("choice 7 is great", "7"), ("I love option 12", "12"), ("the final one is great", "50"),
    ("I love the one before last", "49"),
])
def test_a_plain_number_or_a_final_one_points_at_the_list(text: str, track: str) -> None:
    assert calls(text) == [("feedback", {"track": track, "signal": "like"})]


def test_feedback_signs_follow_the_polarity_model() -> None:
    model = trained()
    for text, positive in (("I love number 3", True), ("I really do not like number 3", False)):
        signal, polarity = model.signal_of(text)
        assert (signal.label in POSITIVE_SIGNALS) is positive
        assert (polarity.label == "positive") is positive


@pytest.mark.parametrize(("text", "expected"), [
    ("fastest first", {"criterion": "faster"}),
    ("order by bpm", {"criterion": "faster"}),
    ("slowest tracks on top please", {"criterion": "slower"}),
    ("newest first", {"criterion": "newer"}),
    ("oldest to newest", {"criterion": "older"}),
    ("put the 90s stuff first", {"criterion": "decade", "decade": 1990}),
    ("rank the rarest stuff up top", {"criterion": "less_popular"}),
])
def test_reordering_by_tempo_year_and_rarity(text: str, expected: dict[str, Any]) -> None:
    assert calls(text) == [("rerank", expected)]


@pytest.mark.parametrize(("text", "bounds"), [
    ("nothing before 2015", {"min_year": 2015}),
    ("only stuff after 2010", {"min_year": 2011}),
    ("songs from 2000 to 2005", {"min_year": 2000, "max_year": 2005}),
    ("chill music released before 1999", {"max_year": 1998}),
    ("under 100 bpm", {"max_tempo": 100.0}),
    ("above 140 bpm", {"min_tempo": 140.0}),
    ("calm songs, nothing faster than 90 bpm", {"max_tempo": 90.0}),
])
def test_year_and_tempo_bounds_of_a_new_list(text: str, bounds: dict[str, Any]) -> None:
    [(name, args)] = calls(text)
    assert name == "recommend"
    assert {k: v for k, v in args.items() if k in ("min_year", "max_year", "min_tempo",
                                                   "max_tempo", "decade")} == bounds


@pytest.mark.parametrize(("text", "artist"), [
    ("play some Queen", "Queen"), ("more Drake", "Drake"), ("anything by Eagles", "Eagles"),
    ("something like Daft Punk", "Daft Punk"),
])
def test_an_artist_alone_seeds_a_list(text: str, artist: str) -> None:
    [(name, args)] = calls(text)
    assert name == "recommend"
    assert args.get("artist", args.get("similar_to")) == artist
    assert artist.lower() not in args["request"].lower()  # never a mood named after it


@pytest.mark.parametrize("text", ["number 3 is a total snooze", "number 10 is a bit much",
                                  "number 6 is kind of a letdown", "track 2 is all a bit much"])
def test_a_degree_word_does_not_turn_a_dislike_around(text: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert not [r for r in reading.requests if r.name == "feedback"
                and r.args["signal"] in POSITIVE_SIGNALS]


def test_whats_the_deal_with_a_track_asks_why() -> None:
    assert calls("whats the deal with #11") == [("explain", {"track": "11"})]


@pytest.mark.parametrize(("text", "artist"), [("more drake", "drake"), ("More Drake", "Drake"),
                                              ("more queen please", "queen")])
def test_more_of_an_artist_in_any_case_is_a_list_by_it(text: str, artist: str) -> None:
    [(name, args)] = calls(text)
    assert (name, args.get("artist")) == ("recommend", artist)


@pytest.mark.parametrize("text", ["more bass", "more chill", "more energy"])
def test_more_of_a_plain_word_is_no_artist(text: str) -> None:
    assert [name for name, _ in calls(text)] == ["rerank"]


def test_a_later_requests_connector_is_no_name() -> None:
    requests = calls("make it sleepier! Also underground electronic")
    assert [name for name, _ in requests] == ["rerank", "recommend"]
    assert "artist" not in requests[1][1] and "similar_to" not in requests[1][1]


def test_genre_free_excludes_the_genre() -> None:
    [(name, args)] = calls("something relaxing, soul-free")
    assert name == "recommend" and args.get("exclude_genres") == ["soul"]


@pytest.mark.parametrize(("text", "signal"), [
    ("the third one is a total drag", "dislike"),  # a music-opinion word no lexicon had
    ("number 4 is awfull", "dislike"),  # a misspelt opinion word
    ("number 2 is absolutely stellar", "like"),  # an intensifier the corpus lacks
])
def test_opinion_words_beyond_the_corpus(text: str, signal: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert [(r.name, r.args["signal"]) for r in reading.requests] == [("feedback", signal)]


def test_a_real_word_is_no_typo_of_an_opinion_word() -> None:
    from bot.agent.nlu.model import _opinion_typo

    assert _opinion_typo("icnredible") == ["incredible"]
    assert _opinion_typo("store") == []  # not "sore"
    assert _opinion_typo("unlovable") == []  # not "lovable"


@pytest.mark.parametrize("text", [
    "I'll never get rid of number 3", "never delete number 3", "don't ever remove track 3",
    "I can't skip number 4", "number 3 is far from boring", "number 3 is anything but dull",
    "I'm not tired of number 3 yet",
])
def test_keeping_a_track_is_never_recorded_as_negative(text: str) -> None:
    """Double negations: a negated verb of taking a track away, "far from", "anything but"
    (they were read as dislikes; now they are likes or asked about)."""
    reading = read_message(text, Context(list_length=50))
    assert not [r for r in reading.requests if r.name == "feedback"
                and r.args["signal"] not in POSITIVE_SIGNALS]


@pytest.mark.parametrize("text", [
    "number 3 is killer", "number 3 is wicked", "number 3 kills it", "number 3 is filthy",
    "#5", "the fourth song please",
])
def test_no_clear_verdict_records_nothing(text: str) -> None:
    """Slang of both signs and a track named alone."""
    reading = read_message(text, Context(list_length=50))
    assert not [r for r in reading.requests if r.name == "feedback"]


def test_a_track_alone_is_no_request_of_its_own() -> None:
    assert calls("#5 - reasoning?") == [("explain", {"track": "5"})]


def test_spelling_and_contractions_are_no_typos() -> None:
    from bot.agent.nlu.features import american, fix_references, valence

    assert fix_references("i'm not tired of it") == "i'm not tired of it"  # not "third"
    assert fix_references("the thrid one") == "the third one"
    assert " ill " not in f" {trained().prepare('I will never be sick of it, I say')} "
    assert "ill" not in trained().prepare("I'll love it").split(" ")
    assert american("marvellous") == "marvelous" and american("favourite") == "favorite"
    assert american("hours") == "hours" and valence("marvellous") > 2


@pytest.mark.parametrize("text", ["thanks, number 3 is overplayed", "number 3 is a letdown"])
def test_courtesy_words_are_no_praise(text: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert [(r.name, r.args["signal"]) for r in reading.requests] == [("feedback", "dislike")]


@pytest.mark.parametrize(("text", "signal"), [
    ("skip Velvet Harbour", "skip"), ("add Paper Lanterns to my playlist", "add_to_playlist"),
    ("I hate Happy Accident", "dislike"),
])
def test_a_track_name_is_no_opinion(text: str, signal: str) -> None:
    """The words of a capitalised name are not weighed as opinions or unseen words."""
    reading = read_message(text, Context(list_length=50))
    assert [(r.name, r.args["signal"]) for r in reading.requests] == [("feedback", signal)]


def test_conversation_marks_tell_talk_from_a_request_with_courtesy() -> None:
    from bot.agent.nlu.conversation import conversation_marks

    assert conversation_marks("much obliged, mate") == ["CHATTHANKS", "CHATONLY"]
    assert conversation_marks("good evening tunemate") == ["CHATGREET", "CHATONLY"]
    assert "CHATONLY" not in conversation_marks("thanks, more rock please")


@pytest.mark.parametrize("text", ["cheers for that, buddy", "ok, bye for today",
                                  "what sort of things can you do?", "hiya, how are things?"])
def test_talk_to_the_assistant_is_chat_and_changes_nothing(text: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert not reading.requests and reading.clarification is None
    assert [c.intent for c in reading.intents] == ["chat"]


def test_direction_words_point_the_way_negators_turn_them() -> None:
    from bot.agent.nlu.directions import mark_directions

    assert mark_directions("less famous ones first").split()[-1] == "POPLOW"
    assert "POPLOW" in mark_directions("not well known stuff")
    assert "ERAOLD" in mark_directions("the vintage ones up top")
    assert "TEMPOSLOW" in mark_directions("the slowest first")


@pytest.mark.parametrize(("text", "criterion"), [
    ("order them from famous to unknown", "more_popular"),
    ("sort from obscure to famous please", "less_popular"),
    ("saddest to happiest", "sadder"),
])
def test_which_end_is_named_first_orders_the_list(text: str, criterion: str) -> None:
    assert calls(text) == [("rerank", {"criterion": criterion})]


def test_top_40_is_the_charts_not_a_count() -> None:
    [(name, args)] = calls("top 40 jazz please")
    assert name == "recommend" and "count" not in args
    assert args.get("include_genres") == ["jazz"] and "min_popularity" in args


def test_next_track_after_a_connector_stays_a_skip() -> None:
    requests = calls("happier songs first please, then next track")
    assert requests == [("rerank", {"criterion": "happier"}),
                        ("feedback", {"track": "1", "signal": "skip"})]


def test_a_version_suffix_stays_in_the_track_name() -> None:
    [(name, args)] = calls("why is Hey Jude - Remastered 2015 here?")
    assert (name, args) == ("explain", {"track": "Hey Jude - Remastered 2015"})


def test_a_request_said_twice_is_scored_once() -> None:
    from bot.agent.nlu.evaluate import distinct_requests

    like = {"intent": "feedback", "slots": {"signal": "like", "track": "11"}}
    skip = {"intent": "feedback", "slots": {"signal": "skip", "track": "11"}}
    assert distinct_requests([like, dict(like)]) == [like]
    assert distinct_requests([like, skip, like]) == [like, skip]


def test_a_genre_typed_with_a_doubled_letter_is_the_genre() -> None:
    from bot.agent.intent.words import normalise

    assert normalise("bluees and meetal") == "blues and metal"
    assert normalise("that was mental") == "that was mental"


@pytest.mark.parametrize(("text", "criterion"), [
    ("order these by tempo, lowest first", "slower"),
    ("rank by bpm, highest first", "faster"),
])
def test_the_end_named_for_a_number_of_its_own(text: str, criterion: str) -> None:
    assert calls(text) == [("rerank", {"criterion": criterion})]


def test_a_genre_left_out_after_a_comma_stays_with_its_request() -> None:
    [(name, args)] = calls("dreamy, reggae-free")
    assert name == "recommend" and args.get("exclude_genres") == ["reggae"]


def test_a_negator_is_never_corrected_into_another_word() -> None:
    assert "hardly" in trained().prepare("songs hardly anybody plays").split(" ")


def test_a_track_named_on_its_own_goes_with_the_opinion_after_it() -> None:
    assert calls("song 9? awful") == [("feedback", {"track": "9", "signal": "dislike"})]


@pytest.mark.parametrize(("text", "signal"), [
    ("#4 gets on my nerves", "dislike"), ("I'm so over number 4", "dislike"),
    ("number 9 does nothing for me", "dislike"), ("number 6 is my jam", "like"),
    ("I can't get enough of number 4", "like"), ("nope #3 sucks", "dislike"),
])
def test_an_opinion_in_several_words_has_a_sign(text: str, signal: str) -> None:
    """Idioms ("gets on my nerves", "I'm over", "my jam") carry a sign; a "nope" said on its
    own turns nothing around."""
    assert calls(text) == [("feedback", {"track": re.search(r"\d+", text)[0], "signal": signal})]


@pytest.mark.parametrize(("text", "signal"), [
    ("#3 never gets on my nerves", "like"), ("I'm not over #3", "like"),
    ("number 5 never gets old", "like"), ("the 3rd doesn't bug me at all", "like"),
    ("#2 isn't my cup of tea", "dislike"), ("I never thought #3 would grow on me", "like"),
    ("not gonna lie #3 hits different", "like"), ("I didn't expect #4 to blow me away", "like"),
    ("number 6 nevr disappoints", "like"),
])
def test_a_phrase_under_a_negator_is_never_recorded_the_wrong_way(text: str,
                                                                  signal: str) -> None:
    """Whether a negator reaches a phrase is not clear enough to act on ("I never thought
    #3 would grow on me" is praise): such a clause is asked about, never recorded the other
    way round."""
    wrong = {"like": "dislike", "dislike": "like"}[signal]
    assert ("feedback", wrong) not in [(r.name, r.args.get("signal")) for r in
                                       read_message(text, Context(list_length=50)).requests]


def test_idioms_mark_their_sign_and_a_negator_turns_it() -> None:
    from bot.agent.nlu.features import mark_sentiment, negated_idioms

    assert mark_sentiment("TRACKREF gets on my nerves").endswith("LEXNEG")
    assert mark_sentiment("TRACKREF never gets on my nerves").endswith("NOTNEG")
    assert mark_sentiment("i'm not over TRACKREF").split()[3] == "NOTNEG"
    assert mark_sentiment("i can't get enough of TRACKREF").split()[4] == "LEXPOS"
    assert "LEXNEG" not in mark_sentiment("argue for TRACKREF")  # asking, not blaming
    assert mark_sentiment("nope TRACKREF sucks").endswith("LEXNEG")  # "nope" alone
    assert negated_idioms("i never thought TRACKREF would grow on me") == {"NOTPOS"}
    assert negated_idioms("TRACKREF never gets on my nerves") == {"NOTNEG"}
    assert not negated_idioms("TRACKREF gets on my nerves")
    assert not negated_idioms("TRACKREF is not good")  # a word, not a phrase


@pytest.mark.parametrize("text", [
    "argue for #2", "make the case for number 5", "defend track 7", "sell me on #4",
    "what's the rationale for #6?",
])
def test_asking_for_reasons_in_other_words_is_an_explain(text: str) -> None:
    assert [name for name, _ in calls(text)] == ["explain"]


@pytest.mark.parametrize(("text", "criterion"), [
    ("cheer it up", "happier"), ("more emotional", "sadder"), ("chiller", "calmer"),
    ("deeper cuts", "less_popular"), ("make it more tender", "calmer"),
    ("jollier please", "happier"), ("rowdier", "more_energetic"),
])
def test_mood_words_and_comparatives_reorder_the_list(text: str, criterion: str) -> None:
    assert calls(text) == [("rerank", {"criterion": criterion})]


def test_comparatives_are_told_from_other_words_ending_in_er() -> None:
    from bot.agent.nlu.features import is_comparative

    assert all(is_comparative(w) for w in ("chiller", "deeper", "jollier", "sadder", "rarer"))
    assert not any(is_comparative(w) for w in ("later", "never", "banger", "summer", "player"))


def test_a_misspelt_never_negates_and_a_short_word_is_no_typo_of_another() -> None:
    from bot.agent.nlu.features import is_negator

    assert is_negator("nver") and is_negator("nveer") and is_negator("nope")
    assert not is_negator("ever") and not is_negator("newer")
    assert not calls("number 10 is glorp")  # not "glory": asked about


def test_a_title_typed_in_lower_case_is_found() -> None:
    from bot.agent.nlu import reader

    assert calls("i love sunflower") == [("feedback", {"track": "sunflower", "signal": "like"})]
    assert calls("why is dance monkey here") == [("explain", {"track": "dance monkey"})]
    assert calls("play blinding lights") == [("recommend", {"request": "",
                                                            "similar_to": "blinding lights",
                                                            "play": True})]
    try:  # the catalogue's titles, given when the app starts
        reader.know_titles(lambda: {simplify(n) for n in [
            "Velvet Harbour Lights", "Velvet Harbour Lights - Remastered 2011"]})
        assert calls("i really love velvet harbour lights") == [
            ("feedback", {"track": "velvet harbour lights", "signal": "like"})]
        reader.know_titles(lambda: {simplify(n) for n in [
            "Velvet Harbour Lights", "Harbour Lights Velvet"]})
        # two titles as long in one message: which one is meant is not clear
        assert reader._title_in("velvet harbour lights velvet", trained()) is None
    finally:
        reader.know_titles(frozenset)


@pytest.mark.parametrize("text", [
    # (session 24: "ditch number 14" asks to remove #14, a dislike; "bin #5" is a dislike
    # since hand-written opinions taught "bin")
    "zap #5",
    "i argue with everyone",  # about oneself: no track named, no opinion's opening
    "had a rough day",
])
def test_what_rests_on_no_feedback_word_records_nothing(text: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert reading.clarification is not None
    assert reading.requests == []


@pytest.mark.parametrize(("text", "expected"), [
    ("i'm in the mood for some sad songs, had a rough day", ["recommend"]),
    ("#11 is an odd pick, why?", ["explain"]),
    ("number 9 is a strange one, why?", ["explain"]),
    ("i get stressed out super easily", ["personality"]),
    ("how popular is 41", ["explain"]),
    ("what genre is 29", ["explain"]),
    ("sort by decade", ["rerank"]),
    ("is #6 a cover or the original?", ["explain"]),  # a question records nothing
    ("#47 — big hit or deep cut?", ["explain"]),
    ("is there anything like #4?", ["recommend"]),
    ("randomise the order, i'm bored of this sequence", ["rerank"]),
    ("turn the list around so the bottom's at the top", ["rerank"]),
    ("these are boring, give me something upbeat", ["recommend"]),
    ("#12 is awesome, save it", ["feedback", "feedback"]),
    ("I hate number 1, never play it again", ["feedback"]),
])
def test_what_a_message_is_about(text: str, expected: list[str]) -> None:
    assert [name for name, _ in calls(text)] == expected


def test_a_part_read_as_nothing_beside_a_request_is_kept_aside() -> None:
    reading = read_message("qwzx vbnm. put the happy ones first", Context(list_length=50))
    assert [r.name for r in reading.requests] == ["rerank"]
    assert reading.unread == ["qwzx vbnm."]
    assert read_message("lol. more upbeat please", Context(list_length=50)).unread == []


@pytest.mark.parametrize(("text", "never"), [
    ("#41 sounds like an old nokia ringtone lol", "positive"),
    ("i'd rather listen to my neighbour's drilling than number 25", "positive"),
    ("get rid of #4 for good", "positive"),
    ("bin #5", "positive"),
    ("zero complaints about the 12th", "negative"),
    ("#16 has zero redeeming qualities", "positive"),
    ("I'm a sucker for the 7th one", "negative"),
    ("#11 is off-putting", "positive"),
    ("the third is sick", "negative"),
    ("number 2 is doing my head in", "positive"),
])
def test_a_phrase_that_points_the_other_way_is_never_recorded_that_way(
        text: str, never: str) -> None:
    """Readings the five held-out-template folds and signs6.jsonl showed inverted: each is
    now read with the right sign or asked about (docs/NLU.md, session 21)."""
    for request in read_message(text, Context(list_length=50)).requests:
        if request.name == "feedback":
            positive = request.args["signal"] in POSITIVE_SIGNALS
            assert positive != (never == "positive"), (text, request.args)


def test_the_template_folds_hold_out_each_template_once(corpus: list[dict[str, Any]]) -> None:
    """``tunemate nlu-eval --template-folds``: every fifth of the templates in turn, so each
    templated family is measured by a model that never saw it, exactly once."""
    from bot.agent.nlu.evaluate import _family_index, validation_split

    train = [r for r in corpus if r["split"] == "train"]
    seen: dict[str, int] = {}
    for fold in range(5):
        fit, check = validation_split(train, fold)
        assert len(fit) + len(check) == len(train)
        fit_families = {r["family"] for r in fit}
        for family in {r["family"] for r in check
                       if (index := _family_index(r["family"])) is not None and index % 5 == fold}:
            assert family not in fit_families
            seen[family] = seen.get(family, 0) + 1
    templated = {r["family"] for r in train if _family_index(r["family"]) is not None}
    assert set(seen) == templated and set(seen.values()) == {1}


def test_an_opinion_then_a_deed_on_the_same_track_is_both() -> None:
    assert calls("#12 is awesome, save it") == [
        ("feedback", {"track": "12", "signal": "like"}),
        ("feedback", {"track": "12", "signal": "save"})]
    assert calls("how popular is 41") == [("explain", {"track": "41"})]


@pytest.mark.parametrize(("text", "expected"), [
    ("27 hits different", "#27 hits different"),
    ("i'm obsessed with 40 tbh", "i'm obsessed with #40 tbh"),
    ("how popular is 41", "how popular is #41"),
    ("give me 20 songs", "give me 20 songs"),  # a count
    ("20 chill songs", "20 chill songs"),
    ("top 10 please", "top 10 please"),
    ("songs after 15", "songs after 15"),  # a bound
    ("openness 4", "openness 4"),  # a score
    ("5 more please", "5 more please"),
    ("skip 4 and 5", "skip 4 and 5"),  # two numbers: several positions, read elsewhere
    ("#99 is great", "#99 is great"),
    ("99 is great", "99 is great"),  # no such position on a list of 50
])
def test_a_plain_number_is_a_position_unless_its_words_count(text: str, expected: str) -> None:
    from bot.agent.nlu.reader import _numbered

    assert _numbered(text, Context(list_length=50)) == expected


def test_second_to_last_is_one_track_and_a_plain_skip_is_recorded() -> None:
    assert calls("skip the second to last one") == [("feedback", {"track": "49", "signal": "skip"})]


@pytest.mark.parametrize("text", [
    "honestly can't believe how good #2 is", "i can't believe how bad #4 is",
])
def test_a_negator_does_not_reach_past_a_question_word(text: str) -> None:
    """"can't believe how good" is praise: the negator stops at "how", so the marks no
    longer call it a negated good word, and the general lexicon's reading (negative) then
    disagrees with the model: asked, never recorded the wrong way."""
    from bot.agent.nlu.features import mark_sentiment

    assert "NOTPOS" not in mark_sentiment(text.lower()).split(" ")
    positive = "good" in text
    for name, args in calls(text):
        assert name != "feedback" or (args["signal"] in POSITIVE_SIGNALS) == positive


@pytest.mark.parametrize(("text", "expected"), [
    ("what genre is 29", [("explain", {"track": "29"})]),
    ("what year did #12 come out?", [("explain", {"track": "12"})]),
    ("can you sort the list by genre", [("rerank", {"criterion": "genre"})]),
    ("group these by genre please", [("rerank", {"criterion": "genre"})]),
])
def test_questions_about_a_track_and_grouping_by_genre(
        text: str, expected: list[tuple[str, dict[str, Any]]]) -> None:
    assert calls(text) == expected


def test_slang_of_both_signs_is_asked_about_even_once_seen() -> None:
    """"wicked" is in a hand-written training message as praise; alone in a clause it is
    still asked about (it can be blame), and beside a clear opinion word it is recorded."""
    assert not calls("wicked tune, 29")
    assert calls("number 3 is killer, love it") == [("feedback", {"track": "3", "signal": "like"})]


@pytest.mark.parametrize(("text", "track"), [
    ("skip the top one pls, heard it way too much", "1"),
    ("could you skip no. 19 please, it's doing my head in", "19"),
    ("skip the last one, it's a bit much for today", "50"),
])
def test_a_clause_that_opens_with_skip_is_a_skip(text: str, track: str) -> None:
    """The command says what to do; the reason after it was read as praise ("a bit much",
    "heard it way too much") and the skip asked about."""
    assert calls(text) == [("feedback", {"track": track, "signal": "skip"})]


@pytest.mark.parametrize("text", [
    "don't skip #4", "never skip #5", "skip #3, i love it but not now",
])
def test_skip_under_a_negator_is_no_plain_skip(text: str) -> None:
    assert not [args for name, args in calls(text)
                if name == "feedback" and args["signal"] == "skip"]


@pytest.mark.parametrize("text", [
    "#18 sounds like elevator music", "9 sounds like a cat walking on a piano",
])
def test_what_a_track_sounds_like_is_no_new_list(text: str) -> None:
    """An opinion in a likeness ("sounds like elevator music") made a list for the mood
    '#18 sounds like elevator'; it is an opinion of the track, asked about when unsure."""
    assert not [name for name, _ in calls(text) if name == "recommend"]


def test_music_that_sounds_like_a_track_is_still_a_request() -> None:
    assert calls("something that sounds like #3") == [
        ("recommend", {"request": "", "similar_to": "3"})]


@pytest.mark.parametrize("text", [
    "didn't expect to like #8 but i do", "I used to love 43 but now I'm so sick of it",
    "i don't think i like #8",
])
def test_a_negated_expectation_or_a_past_opinion_is_asked_about(text: str) -> None:
    """"didn't expect to like #8 but i do" was recorded as a dislike and "I used to love 43"
    as a like: which way they go is asked, nothing recorded."""
    reading = read_message(text, Context(list_length=50))
    assert reading.clarification and not reading.requests


@pytest.mark.parametrize(("text", "expected"), [
    ("liked twelve", [("feedback", {"track": "12", "signal": "like"})]),
    ("why is fourteen here", [("explain", {"track": "14"})]),
    ("give me twenty songs", [("recommend", {"request": "", "count": 20})]),
    ("i have two dogs", []),
])
def test_a_number_from_ten_up_in_words_is_a_position(
        text: str, expected: list[tuple[str, dict[str, Any]]]) -> None:
    assert calls(text) == expected


def test_a_new_list_of_nothing_beside_a_request_is_dropped() -> None:
    """"and like routine" after a trait read as a new list with nothing in it; a clause that
    asks for music ("play something") or a fresh list ("surprise me") is kept."""
    assert calls("I'm very organized and like routine") == [  # (one request, two traits)
        ("personality", {"action": "set", "conscientiousness": 4.5, "openness": 2.0})]
    assert calls("love #2, play something") == [
        ("feedback", {"track": "2", "signal": "like"}), ("recommend", {"request": ""})]
    assert [name for name, _ in calls("i'm shy, surprise me")] == ["personality", "recommend"]


def test_similar_to_a_plain_number_is_music_like_that_track() -> None:
    assert calls("something similar to 33 but newer") == [
        ("recommend", {"request": "newer", "similar_to": "33"})]


def test_a_mood_in_words_that_ask_for_no_music_is_the_reason_for_a_reordering() -> None:
    assert calls("i wanna dance, put the danciest ones up") == [
        ("rerank", {"criterion": "more_danceable"})]
    # alone it is a new list; beside a request for music, that request, in the order said
    assert calls("chill vibes please") == [("recommend", {"request": "chill vibes"})]
    assert calls("skip #4, play something chill") == [
        ("feedback", {"track": "4", "signal": "skip"}),
        ("recommend", {"request": "chill"})]


@pytest.mark.parametrize(("text", "expected"), [
    ("track 7 is sooo repetitive, got bored halfway through",
     [("feedback", {"track": "7", "signal": "dislike"})]),
    ("i don't like the twenty-eighth song, too slow",
     [("feedback", {"track": "28", "signal": "dislike"})]),
    ("the 50th one is lovely, so mellow", [("feedback", {"track": "50", "signal": "like"})]),
    ("skip #4, sort by newest", [("feedback", {"track": "4", "signal": "skip"}),
                                 ("rerank", {"criterion": "newer"})]),
    ("love #2, calmer please", [("feedback", {"track": "2", "signal": "like"}),
                                ("rerank", {"criterion": "calmer"})]),
])
def test_the_reason_given_for_an_opinion_is_no_request_of_its_own(
        text: str, expected: list[tuple[str, dict[str, Any]]]) -> None:
    """Words beside an opinion of a track that ask for no music and no reordering ("too
    slow", "so mellow") made a new list or a new order nobody asked for."""
    assert calls(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("stick 38 in my roadtrip playlist", [("feedback", {"track": "38",
                                                        "signal": "add_to_playlist"})]),
    ("save 12 for the roadtrip", [("feedback", {"track": "12", "signal": "save"})]),
    # never an add: taken off, a dislike (session 24; it was asked about before)
    ("take 38 off my roadtrip playlist", [("feedback", {"track": "38", "signal": "dislike"})]),
    ("don't put 38 in my playlist", []),
])
def test_a_deed_that_names_itself_is_done_beside_an_unseen_word(
        text: str, expected: list[tuple[str, dict[str, Any]]]) -> None:
    assert calls(text) == expected


@pytest.mark.parametrize("text", [
    "#6 puts me to sleep", "number 10 is too shouty for a sunday morning, next",
])
def test_what_a_track_does_is_no_request_for_music_like_it(text: str) -> None:
    """Said of the track as the subject, these made lists like it; now they are opinions
    (asked about while unsure)."""
    assert not [name for name, _ in calls(text) if name == "recommend"]
    assert calls("songs like number 4 please") == [
        ("recommend", {"request": "", "similar_to": "4"})]


@pytest.mark.parametrize("text", [
    "Oh wonderful, another autotune ballad at 34. Just what I needed.",
    "this 42 is makin me wanna throw my phone lol",
    "the 4th one makes me wanna dance",  # was recorded as a dislike
    "#9 makes me want to cry",
])
def test_sarcasm_and_what_a_track_makes_one_want_are_asked_about(text: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert reading.clarification and not reading.requests


def test_a_deed_of_clear_sign_is_recorded() -> None:
    assert calls("#12 makes me want to scream") == [
        ("feedback", {"track": "12", "signal": "dislike"})]
    assert calls("#3 is wonderful") == [("feedback", {"track": "3", "signal": "like"})]


def test_the_trained_model_is_kept_and_loaded_again(tmp_path: Any, monkeypatch: Any) -> None:
    from bot.agent.nlu import model as nlu_model

    monkeypatch.setenv("TUNEMATE_NLU_CACHE", str(tmp_path))
    (tmp_path / "nlu-0123.pickle").write_bytes(b"a model of older code")
    first = nlu_model.trained.__wrapped__()  # trains and stores
    stored = list(tmp_path.glob("nlu-*.pickle"))
    assert stored == [nlu_model.cache_path()]  # the older file is gone
    trainings: list[int] = []
    monkeypatch.setattr(nlu_model.Understanding, "__init__",
                        lambda self, records: trainings.append(len(records)))
    again = nlu_model.trained.__wrapped__()  # loads, never trains
    assert trainings == [] and isinstance(again, nlu_model.Understanding)
    text = "I hate number 1, never play it again"
    assert again.intent_of(text) == first.intent_of(text)
    assert again.signal_of(text) == first.signal_of(text)
    stored[0].write_bytes(b"cut short")  # a damaged file: trained again (here: the stub)
    nlu_model.trained.__wrapped__()
    assert len(trainings) == 1
    monkeypatch.setenv("TUNEMATE_NLU_CACHE", "off")
    assert nlu_model.cache_path() is None


@pytest.mark.parametrize("text", ["no thanks", "nah thanks", "I'm good, thanks"])
def test_a_polite_no_is_no_dislike(text: str) -> None:
    """"no thanks" was recorded as a dislike of the track on top."""
    reading = read_message(text, Context(list_length=50))
    assert reading.requests == [] and [c.intent for c in reading.intents] == ["chat"]


# ---------------------------------------------------------------- session 23


@pytest.mark.parametrize(("text", "expected"), [
    ("add number thirty one to my playlist",
     [("feedback", {"track": "31", "signal": "add_to_playlist"})]),  # was #30
    ("skip track thirty-four please", [("feedback", {"track": "34", "signal": "skip"})]),
    ("number 5 is 2/10", [("feedback", {"track": "5", "signal": "dislike"})]),  # was a like
    ("8/10 for 12", [("feedback", {"track": "12", "signal": "like"})]),
    ("12 is a solid 5/10", []),  # a middling score is no opinion to record
])
def test_numbers_in_words_and_scores(text: str, expected: list[tuple[str, Any]]) -> None:
    assert calls(text) == expected


@pytest.mark.parametrize(("text", "names"), [
    ("skip 4 and give me new stuff", ["feedback", "recommend"]),
    ("put the calm ones first and tell me about number 2", ["rerank", "explain"]),
    ("happier songs first please, then next track", ["rerank", "feedback"]),
])
def test_and_before_a_request_verb_starts_a_second_request(text: str, names: list[str]) -> None:
    assert [name for name, _ in calls(text)] == names


@pytest.mark.parametrize(("text", "names"), [
    ("i need focus music, no lyrics", ["recommend"]),  # "no lyrics" was a dislike of #1
    ("I am calm person, not like party", ["personality"]),
    ("i have two dogs", []),  # no track named, nothing said of one: no like of #1
])
def test_an_opinion_naming_no_track_is_no_feedback_beside_a_request(
        text: str, names: list[str]) -> None:
    assert [name for name, _ in calls(text)] == names


@pytest.mark.parametrize(("text", "traits"), [
    ("my agreeableness is like a 4", {"agreeableness": 4.0}),
    ("extraversion: four", {"extraversion": 4.0}),
    ("put me at 5 for extraversion", {"extraversion": 5.0}),
    ("extraversion low, neuroticism high", {"extraversion": 1.5, "neuroticism": 4.5}),
])
def test_a_score_said_after_or_before_its_trait(text: str, traits: dict[str, float]) -> None:
    assert calls(text) == [("personality", {"action": "set", **traits})]


def test_the_trait_models_read_what_the_trait_words_miss() -> None:
    """Self-descriptions in no trait word ("i love trying new things") are read by the trait
    models; a request to see the profile sets nothing."""
    [(name, args)] = calls("i love trying new things, always have")
    assert name == "personality" and args["openness"] > 3
    assert calls("what's my personality") == [("personality", {"action": "show"})]
    assert trained().traits_of("show my traits") == {}


@pytest.mark.parametrize("text", ["why not", "sure", "sounds good"])
def test_a_yes_to_the_assistant_is_talk(text: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert reading.requests == [] and [c.intent for c in reading.intents] == ["chat"]


def test_hand_written_opinions_teach_the_feedback_models() -> None:
    """The feedback models learn from the hand-written opinions too: "bin 26" ("bin" is in no
    template) is a dislike, and "I did enjoy the third song very much" no excess."""
    assert calls("bin 26") == [("feedback", {"track": "26", "signal": "dislike"})]
    assert calls("Dear, I did enjoy the third song very much.") == [
        ("feedback", {"track": "3", "signal": "like"})]


# ---------------------------------------------------------------- session 24


@pytest.mark.parametrize(("text", "track", "signal"), [
    ("take out track thirty", "30", "dislike"),
    ("the first one has to go", "1", "dislike"),
    ("I'd rather not hear track eight again, thank you.", "8", "dislike"),
    ("ditch number 14", "14", "dislike"),
    ("remove number 2 from my playlist", "2", "dislike"),  # (the models read an add)
    ("don't skip #22 its my fav", "22", "like"),
    ("never skipping #14 lol", "14", "like"),
    ("i would not remove number 11 for anything", "11", "like"),
    ("8 gotta go in the pregame playlist", "8", "add_to_playlist"),  # no removal
    ("22 played all the way, didn't skip a bit", "22", "played_through"),  # the models' own
])
def test_a_removal_or_a_keep_said_in_plain_words(text: str, track: str, signal: str) -> None:
    assert calls(text) == [("feedback", {"track": track, "signal": signal})]


@pytest.mark.parametrize("text", [
    "I can't skip #4 fast enough",  # no wish to keep it
    "don't skip 4, it's awful",  # a keep beside blame: which is it?
    "not right now, skip number 6",  # the negator is not on "skip"
])
def test_a_keep_with_anything_against_it_is_no_like(text: str) -> None:
    assert not any(name == "feedback" and args["signal"] in POSITIVE_SIGNALS
                   for name, args in calls(text))


def test_not_gonna_lie_is_no_negation() -> None:
    assert calls("not gonna lie #31 kinda ate") == [("feedback", {"track": "31",
                                                                  "signal": "like"})]


@pytest.mark.parametrize(("text", "expected"), [
    ("love #5 and put the calm ones first", ["feedback", "rerank"]),
    ("i'm very introverted so show me calm music", ["personality", "recommend"]),
    ("set openness to 5 and recommend something weird", ["personality", "recommend"]),
    ("what genre is this? i kinda like it", ["explain", "feedback"]),
])
def test_a_second_request_after_and_or_so(text: str, expected: list[str]) -> None:
    assert [name for name, _ in calls(text)] == expected


def test_recommend_asks_for_music_only() -> None:
    assert calls("Can you recommend a good restaurant nearby?") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("14 is really not my cup of tea", [("feedback", {"track": "14", "signal": "dislike"})]),
    ("#35 is doing my head in", [("feedback", {"track": "35", "signal": "dislike"})]),
    ("i used to like 18 but im so sick of it now",
     [("feedback", {"track": "18", "signal": "dislike"})]),
    ("wasn't expecting much from #19 but it's actually class",
     [("feedback", {"track": "19", "signal": "like"})]),
    ("put 15 on repeat i cant get enough", [("feedback", {"track": "15", "signal": "like"})]),
    ("i'm really into the top one lately", [("feedback", {"track": "1", "signal": "like"})]),
    ("lovin the second to last one", [("feedback", {"track": "49", "signal": "like"})]),
    ("why is 9 here? it's terrible", [("explain", {"track": "9"}),
                                      ("feedback", {"track": "9", "signal": "dislike"})]),
    ("what's the story with 28, never heard of it", [("explain", {"track": "28"})]),
    ("tell me what kind of listener i am", [("personality", {"action": "show"})]),
    ("could you order these with the older music first, I prefer songs from my youth",
     [("rerank", {"criterion": "older"})]),
    ("mix the order randomly please", [("rerank", {"criterion": "shuffle"})]),
])
def test_everyday_phrasings_of_session_24(text: str,
                                          expected: list[tuple[str, dict[str, Any]]]) -> None:
    assert calls(text) == expected


@pytest.mark.parametrize("text", [
    "#27 is lowkey my new obsession",  # "obsession" is a blame word to the lexicons
    "#3 never gets on my nerves",  # a negated phrase against a dislike
])
def test_praise_the_lexicons_read_as_blame_is_never_a_dislike(text: str) -> None:
    assert not any(name == "feedback" and args["signal"] not in POSITIVE_SIGNALS
                   for name, args in calls(text))


@pytest.mark.parametrize(("text", "reply"), [
    ("Have a lovely evening.", "Bye for now"),
    ("howzit", "Hi!"),
])
def test_a_greeting_or_goodbye_alone_is_answered(text: str, reply: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert reading.requests == [] and [c.intent for c in reading.intents] == ["chat"]
    assert small_talk(text).startswith(reply)


@pytest.mark.parametrize(("text", "question"), [
    ("why track -1?", "no number -1"),
    ("why number 1e3?", "no number 1e3"),
    ("why #51", "no number 51"),
    ("set my openness to nan", "no score for openness"),
    ("my openness is -0", "no score for openness"),
    ("set openness to 1e309", "no score for openness"),
])
def test_a_number_no_list_position_or_score_can_be_is_asked_about(text: str,
                                                                    question: str) -> None:
    """Found by an outside audit: these explained #1 or stored a made-up trait score."""
    reading = read_message(text, Context(list_length=50))
    assert reading.requests == [] and question in (reading.clarification or "")


def test_a_catalogue_id_named_as_a_track_is_explained_by_id() -> None:
    assert calls("explain track demo7000009170") == [("explain", {"track": "demo7000009170"})]


@pytest.mark.parametrize(("text", "signal"), [
    ("that 18 is pure dead brilliant", "like"),  # "dead" as "very"
    ("uninstall 37 from existence lmao", "dislike"),
    ("stop playing #22", "dislike"),
    ("number 10 is too shouty for a sunday morning, next", "skip"),
    ("the 27th one isn't my thing at all, too jazzy", "dislike"),  # no jazz list
])
def test_more_everyday_opinions_of_session_24(text: str, signal: str) -> None:
    [(name, args)] = calls(text)
    assert name == "feedback" and args["signal"] == signal


def test_a_clause_that_asks_nothing_records_nothing() -> None:
    assert calls("punk!!! now") == [("recommend", {"request": "", "include_genres": ["punk"]})]
    assert calls("ehh song 35... i'll pass thanks") == [("feedback", {"track": "35",
                                                                      "signal": "skip"})]


@pytest.mark.parametrize(("text", "expected"), [
    ("that song made me smile", [("feedback", {"track": "1", "signal": "like"})]),
    ("#4 makes me so emotional", []),  # moved: liked or not is asked
    ("the last song made me tear up, in a good way",
     [("feedback", {"track": "50", "signal": "like"})]),
])
def test_what_a_track_makes_one_feel(text: str, expected: list[tuple[str, dict[str, Any]]]
                                     ) -> None:
    assert calls(text) == expected


@pytest.mark.parametrize("text", [
    "tira o 35 por favor",  # was a like: "favor"
    "die schnellen zuerst bitte",  # was a dislike of #1
    "quien canta la 12",
])
def test_a_message_in_another_language_is_answered_in_english_and_records_nothing(
        text: str) -> None:
    reading = read_message(text, Context(list_length=50))
    assert reading.requests == [] and "only understand English" in (reading.clarification or "")


def test_typos_and_names_are_no_other_language() -> None:
    assert calls("wats 42 abt") == [("explain", {"track": "42"})]
    assert trained().foreign_words("me gusta mucho the number 6, is very nice") == []


@pytest.mark.parametrize("text", [
    "love how #13 sounds like a dentist drill 🙃",
    "best part of #26 is when it ends",
    "i'm sure #46 is great for someone else",
    "sure love being yelled at by track 41 😑",
    "i'm glad some people enjoy #32, i am not one of them",
    "it'd be awesome if #17 stopped showing up in every list",
    "dont get me wrong i love jazz but #36 is not it",
    "i love everything on this list except the 7th one, which i hate",
    "remember when #43 was good? me neither",
])
def test_sarcasm_and_backhanded_praise_is_never_a_like(text: str) -> None:
    """Written to be hard for a keyword reader (signs8_dev.jsonl); each had been a like."""
    assert not any(name == "feedback" and args["signal"] in POSITIVE_SIGNALS
                   for name, args in calls(text))


@pytest.mark.parametrize("text", [
    "#6 destroys", "#35 is deadly", "the drop on #44 is brutal omg 🤯",
    "#11 ruined every other song for me", "can't get #23 out of my head and i don't want to",
    "i could listen to #4 till i die", "dont u dare take #31 off",
])
def test_praise_in_words_of_blame_is_never_a_dislike(text: str) -> None:
    """Each had been a dislike."""
    assert not any(name == "feedback" and args["signal"] not in POSITIVE_SIGNALS
                   for name, args in calls(text))


def test_a_count_of_times_is_no_list_position() -> None:
    assert not any(args.get("track") == "30" for _, args in
                   calls("number 7 is a problem. i've played it 30 times today. keep it coming"))


@pytest.mark.parametrize(("text", "expected"), [
    ("love number for 😍", [("feedback", {"track": "4", "signal": "like"})]),
    ("save track to pls", [("feedback", {"track": "2", "signal": "save"})]),
    ("number thirty for is beautiful", [("feedback", {"track": "34", "signal": "like"})]),
    ("skip this song for now", [("feedback", {"track": "1", "signal": "skip"})]),
    ("add this track to my playlist", [("feedback", {"track": "1",
                                                      "signal": "add_to_playlist"})]),
])
def test_a_dictated_position_written_as_the_word_it_sounds_like(
        text: str, expected: list[tuple[str, dict[str, Any]]]) -> None:
    assert calls(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("no more songs like 24 pls", [("feedback", {"track": "24", "signal": "dislike"})]),
    ("please never recommend me something like 13 again",
     [("feedback", {"track": "13", "signal": "dislike"})]),
    ("love 5 and more like it", [("feedback", {"track": "5", "signal": "like"}),
                                 ("recommend", {"request": "", "similar_to": "5"})]),
    ("is 6 a cover", [("explain", {"track": "6"})]),
    ("somthing else", [("recommend", {"request": ""})]),
])
def test_less_like_a_track_and_more_like_it(text: str,
                                            expected: list[tuple[str, dict[str, Any]]]) -> None:
    """"no more like #24" had made a list like #24."""
    assert calls(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("#3 is fine I guess but skip", [("feedback", {"track": "3", "signal": "skip"})]),
    ("nice melody but #29 goes on forever, cut it",
     [("feedback", {"track": "29", "signal": "dislike"})]),
    ("good song probably, just not for me. take #19 out",
     [("feedback", {"track": "19", "signal": "dislike"})]),
    ("#4 is great, take it", [("feedback", {"track": "4", "signal": "like"})]),
    ("#5 is great but no", []),  # praise, then a no: asked
])
def test_a_closing_command_decides(text: str, expected: list[tuple[str, dict[str, Any]]]) -> None:
    assert calls(text) == expected
