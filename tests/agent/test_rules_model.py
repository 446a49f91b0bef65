"""The offline rules model: everyday English in, tunemate tool calls out.

Each row of PHRASINGS is a message and the calls it must produce: the tool names in order
and, for each, the arguments that matter (a value of ABSENT means the argument must not be
there). A row with no calls must get a non-empty reply in words.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from bot.agent.rules_model import RulesChatModel

TOOLS = ("recommend", "rerank", "explain", "feedback", "personality")
ABSENT = object()


def bound_model(tools: tuple[str, ...] = TOOLS) -> Any:
    return RulesChatModel().bind_tools([{"name": name} for name in tools])


def run_turn(model: Any, messages: list[BaseMessage]) -> tuple[list[dict[str, Any]], AIMessage]:
    """Every tool call of one turn (the model makes them one at a time, in order, each
    answered with "ok") and the reply that ends it."""
    messages = list(messages)
    made: list[dict[str, Any]] = []
    reply = model.invoke(messages)
    while reply.tool_calls:
        made += reply.tool_calls
        messages += [reply, *(ToolMessage("ok", tool_call_id=c["id"]) for c in reply.tool_calls)]
        reply = model.invoke(messages)
    return made, reply


def rec(**args: Any) -> tuple[str, dict[str, Any]]:
    return ("recommend", args)


def rerank(criterion: str, **args: Any) -> tuple[str, dict[str, Any]]:
    return ("rerank", {"criterion": criterion, **args})


def explain(track: str) -> tuple[str, dict[str, Any]]:
    return ("explain", {"track": track})


def feedback(track: str, signal: str) -> tuple[str, dict[str, Any]]:
    return ("feedback", {"track": track, "signal": signal})


def traits(**scores: float) -> tuple[str, dict[str, Any]]:
    return ("personality", {"action": "set", **scores})


SHOW = ("personality", {"action": "show"})

PHRASINGS: list[tuple[str, list[tuple[str, dict[str, Any]]]]] = [
    # moods, with modifiers and negations, go to `request` as said
    ("something calm but not sleepy", [rec(request="calm but not sleepy", exclude_genres=ABSENT)]),
    ("Something calm", [rec(request="calm")]),
    ("recommend me something relaxing", [rec(request="relaxing")]),
    ("play some happy music please", [rec(request="happy")]),
    ("I need songs for studying", [rec(request="studying")]),
    ("music for a rainy day", [rec(request="rainy day")]),
    ("upbeat but not too loud", [rec(request="upbeat but not too loud")]),
    ("sad songs that aren't too slow", [rec(request="sad songs that aren't too slow")]),
    ("I'm feeling sad", [rec(request="feeling sad")]),
    ("I'm in the mood for something chill", [rec(request="chill")]),
    ("energetic workout music", [rec(request="energetic workout")]),
    ("party vibes!!", [rec(request="party vibes")]),
    ("something romantic for dinner", [rec(request="romantic for dinner")]),
    ("CALM BUT NOT SLEEPY", [rec(request="calm but not sleepy")]),
    ("chill", [rec(request="chill")]),
    # typos
    ("recomend me somthing relaxng", [rec(request="relaxing")]),
    ("sumthing upbeet pls", [rec(request="upbeat")]),
    ("gimme some energtic tunes", [rec(request="energetic")]),
    # genres to include and to exclude
    ("no rap", [rec(exclude_genres=["rap"], include_genres=ABSENT, request="")]),
    ("something calm, no rap", [rec(request="calm", exclude_genres=["rap"])]),
    ("calm but not sleepy, no rap", [rec(request="calm but not sleepy", exclude_genres=["rap"])]),
    ("anything but country", [rec(exclude_genres=["country"])]),
    ("no rap or metal please", [rec(exclude_genres=["rap", "metal"])]),
    ("rock but no metal", [rec(include_genres=["rock"], exclude_genres=["metal"])]),
    ("play some jazz", [rec(include_genres=["jazz"], request="")]),
    ("hip hop", [rec(include_genres=["rap"])]),
    ("some hip-hop without trap", [rec(include_genres=["rap"], exclude_genres=["trap"])]),
    ("r&b slow jams", [rec(include_genres=["r&b"], request="slow jams")]),
    ("RnB", [rec(include_genres=["r&b"])]),
    ("edm for the gym", [rec(include_genres=["edm"], request="gym")]),
    ("electronic music", [rec(include_genres=["edm"])]),
    ("latin dance songs", [rec(include_genres=["latin"], request="dance")]),
    ("classical for focus", [rec(include_genres=["classical"], request="focus")]),
    ("country", [rec(include_genres=["country"])]),
    ("heavy metal", [rec(include_genres=["metal"])]),
    ("some folk", [rec(include_genres=["folk"])]),
    ("soul and r&b", [rec(include_genres=["soul", "r&b"])]),
    ("indie", [rec(include_genres=["indie"])]),
    ("k-pop", [rec(include_genres=["k-pop"])]),
    ("I hate rap", [rec(exclude_genres=["rap"])]),
    ("I don't want any pop", [rec(exclude_genres=["pop"], request="")]),
    ("without edm", [rec(exclude_genres=["edm"])]),
    ("no pop, just jazz", [rec(exclude_genres=["pop"], include_genres=["jazz"])]),
    ("I love jazz", [rec(include_genres=["jazz"])]),
    # decades
    ("90s rock", [rec(decade=1990, include_genres=["rock"], request="")]),
    ("something from the eighties", [rec(decade=1980)]),
    ("2000s pop", [rec(decade=2000, include_genres=["pop"])]),
    ("70s", [rec(decade=1970)]),
    ("the '60s", [rec(decade=1960)]),
    ("songs from 1995", [rec(decade=1990)]),
    ("late 2010s hip hop", [rec(decade=2010, include_genres=["rap"])]),
    ("the nineties", [rec(decade=1990)]),
    ("80's synth stuff", [rec(decade=1980, request="synth")]),
    # counts
    ("give me 10 songs", [rec(count=10)]),
    ("just five tracks", [rec(count=5)]),
    ("top 20", [rec(count=20)]),
    ("a dozen chill songs", [rec(count=12, request="chill")]),
    ("20 calm tracks with no rap", [rec(count=20, request="calm", exclude_genres=["rap"])]),
    ("give me 100 songs", [rec(count=50)]),
    ("10 calmer songs", [rec(count=10, request="calmer")]),
    # popularity and tempo
    ("something obscure", [rec(max_popularity=40.0, min_popularity=ABSENT)]),
    ("underground hip hop", [rec(max_popularity=40.0, include_genres=["rap"])]),
    ("hidden gems from the 70s", [rec(max_popularity=40.0, decade=1970)]),
    ("nothing too mainstream", [rec(max_popularity=40.0)]),
    ("popular hits", [rec(min_popularity=60.0, max_popularity=ABSENT, request="")]),
    ("well-known songs", [rec(min_popularity=60.0)]),
    ("around 120 bpm", [rec(min_tempo=110.0, max_tempo=130.0)]),
    ("songs over 140 bpm", [rec(min_tempo=140.0, max_tempo=ABSENT)]),
    ("under 90 bpm please", [rec(max_tempo=90.0, min_tempo=ABSENT)]),
    ("between 100 and 120 bpm", [rec(min_tempo=100.0, max_tempo=120.0)]),
    ("something at 128 beats per minute", [rec(min_tempo=118.0, max_tempo=138.0)]),
    # similar to
    ("more like the first one", [rec(similar_to="1")]),
    ("More like #3", [rec(similar_to="3")]),
    ("songs similar to number 7", [rec(similar_to="7")]),
    ("something like the 2nd track", [rec(similar_to="2")]),
    ("songs like Levitating by Dua Lipa", [rec(similar_to="Levitating by Dua Lipa")]),
    ("Play something like Mr. Brightside", [rec(similar_to="Mr. Brightside")]),
    ("more like the fifth one but with no rap", [rec(similar_to="5", exclude_genres=["rap"])]),
    # re-ranking the current list
    ("more upbeat please", [rerank("more_energetic")]),
    ("make it chiller", [rerank("calmer")]),
    ("something calmer", [rerank("calmer")]),
    ("Calmer!", [rerank("calmer")]),
    ("less intense", [rerank("calmer")]),
    ("more energetic", [rerank("more_energetic")]),
    ("pump it up", [rerank("more_energetic")]),
    ("happier please", [rerank("happier")]),
    ("less sad", [rerank("happier")]),
    ("sadder", [rerank("sadder")]),
    ("darker and moodier", [rerank("sadder")]),
    ("more acoustic", [rerank("more_acoustic")]),
    ("more danceable", [rerank("more_danceable")]),
    ("less popular stuff", [rerank("less_popular")]),
    ("more obscure", [rerank("less_popular")]),
    ("more mainstream", [rerank("more_popular")]),
    ("sort by 80s", [rerank("decade", decade=1980)]),
    ("put the jazz first", [rerank("genre", genre="jazz")]),
    ("more rock", [rerank("genre", genre="rock")]),
    ("sort by popularity", [rerank("more_popular")]),
    # explain
    ("why is number 4 here?", [explain("4")]),
    ("why track 7?", [explain("7")]),
    ("explain the third one", [explain("3")]),
    ("why did you pick Blinding Lights?", [explain("Blinding Lights")]),
    ("Why is 'Levitating' in my list?", [explain("Levitating")]),
    ("why #12", [explain("12")]),
    ("why no. 9?", [explain("9")]),
    ("how come the 5th one is there", [explain("5")]),
    ("tell me about number twenty", [explain("20")]),
    ("explain 4", [explain("4")]),
    ("why the last one?", [explain("50")]),
    ("why number 4 here", [explain("4")]),
    ("explian track 6", [explain("6")]),
    ("explain id 4uLU6hMCjMI75M1A2tKUQC", [explain("4uLU6hMCjMI75M1A2tKUQC")]),
    ("Why?", [explain("1")]),
    # feedback
    ("I love the third one", [feedback("3", "like")]),
    ("I hate the second track", [feedback("2", "dislike")]),
    ("skip that", [feedback("1", "skip")]),
    ("skip", [feedback("1", "skip")]),
    ("save number 5", [feedback("5", "save")]),
    ("add track 2 to my playlist", [feedback("2", "add_to_playlist")]),
    ("I had it on repeat", [feedback("1", "repeat")]),
    ("number 3 is great", [feedback("3", "like")]),
    ("I don't like the fourth one", [feedback("4", "dislike")]),
    ("not a fan of #6", [feedback("6", "dislike")]),
    ("the last one is awful", [feedback("50", "dislike")]),
    ("skip the 10th", [feedback("10", "skip")]),
    ("i luv the first 1", [feedback("1", "like")]),
    ("I listened to the whole thing", [feedback("1", "played_through")]),
    ("bookmark track 8", [feedback("8", "save")]),
    ("I love Blinding Lights", [feedback("Blinding Lights", "like")]),
    ("second to last is a banger", [feedback("49", "like")]),
    ("I'd like some jazz", [rec(include_genres=["jazz"])]),
    ("I'd love something upbeat", [rec(request="upbeat")]),
    ("Number 3 is 🔥", [feedback("3", "like")]),
    ("the first one is perfect", [feedback("1", "like")]),
    ("next", [feedback("1", "skip")]),
    ("play the third one again", [feedback("3", "repeat")]),
    ("I played it all the way through", [feedback("1", "played_through")]),
    # personality
    ("I'm very outgoing and a bit anxious", [traits(extraversion=4.5, neuroticism=3.75)]),
    ("I'm introverted", [traits(extraversion=2.0)]),
    ("I'm very organised", [traits(conscientiousness=4.5)]),
    ("I'm curious and creative", [traits(openness=4.0)]),
    ("I'm easygoing", [traits(agreeableness=4.0)]),
    ("I'm kind", [traits(agreeableness=4.0)]),
    ("I'm calm and relaxed", [traits(neuroticism=2.0)]),
    ("im kind of shy", [traits(extraversion=2.25)]),
    ("I am not very outgoing", [traits(extraversion=2.25)]),
    ("I'm extremely messy", [traits(conscientiousness=1.5)]),
    ("I'm very open to new experiences", [traits(openness=4.5)]),
    ("I'm an overthinker", [traits(neuroticism=4.0)]),
    ("im pretty antisocial", [traits(extraversion=1.75)]),
    ("set my openness to 4", [traits(openness=4.0)]),
    ("my extraversion is 2", [traits(extraversion=2.0)]),
    ("set neuroticism to 80%", [traits(neuroticism=4.2)]),
    ("set neuroticism to 80 out of 100", [traits(neuroticism=4.2)]),
    # a bare number is on 1-5 as said: the tool refuses 80 instead of guessing a scale
    ("set neuroticism to 80", [traits(neuroticism=80.0)]),
    ("my openness should be 5 and my conscientiousness 2",
     [traits(openness=5.0, conscientiousness=2.0)]),
    ("high openness, low neuroticism", [traits(openness=4.5, neuroticism=1.5)]),
    ("show my personality", [SHOW]),
    ("what's my personality profile?", [SHOW]),
    # more than one request in a message
    ("I love the second one, now play something calmer", [feedback("2", "like"), rerank("calmer")]),
    ("Why is number 4 here? I don't like it.", [explain("4"), feedback("4", "dislike")]),
    ("Something calm. No rap.", [rec(request="calm", exclude_genres=["rap"])]),
    ("I love number 2 and hate number 5", [feedback("2", "like"), feedback("5", "dislike")]),
    ("skip the third one and then more like the first",
     [feedback("3", "skip"), rec(similar_to="1")]),
    # nothing for a tool: a reply in words
    ("hi", []),
    ("Hello!", []),
    ("thanks!", []),
    ("what can you do?", []),
    ("", []),
    ("asdfgh", []),
    ("   ", []),
    ("help", []),
    ("bye", []),
    ("that's great, thanks", []),
    ("?!?!", []),
    ("why not", []),
    ("ok", []),
    ("tell me about yourself", []),
]


def _id(row: tuple[str, list[Any]]) -> str:
    return row[0] or "<empty>"


def test_the_table_has_at_least_100_distinct_phrasings() -> None:
    texts = [text for text, _ in PHRASINGS]
    assert len(set(texts)) == len(texts) >= 100


@pytest.mark.parametrize(("text", "expected"), PHRASINGS, ids=[_id(r) for r in PHRASINGS])
def test_phrasing(text: str, expected: list[tuple[str, dict[str, Any]]]) -> None:
    made, reply = run_turn(bound_model(), [HumanMessage(text)])
    assert [call["name"] for call in made] == [name for name, _ in expected]
    for call, (_, args) in zip(made, expected, strict=True):
        for key, value in args.items():
            if value is ABSENT:
                assert key not in call["args"], (key, call["args"])
            else:
                assert call["args"].get(key) == value, (key, call["args"])
    if not expected:
        assert isinstance(reply.content, str) and reply.content.strip()


# ---------------------------------------------------------------- conversation context


def _after_calls(*calls: tuple[str, dict[str, Any], str]) -> list[BaseMessage]:
    """A history in which the model called tools and got these plain-text answers."""
    history: list[BaseMessage] = [HumanMessage("hi")]
    for i, (name, args, answer) in enumerate(calls):
        call_id = f"earlier_{i}"
        history.append(AIMessage("", tool_calls=[{"name": name, "args": args, "id": call_id}]))
        history.append(ToolMessage(answer, tool_call_id=call_id, name=name))
        history.append(AIMessage(answer))
    return history


CONTEXT_CASES = [
    # "that" is the track last explained or given feedback on
    ("skip that", [("explain", {"track": "4"}, "Track 4 scored 0.71 ...")],
     ("feedback", "track", "4")),
    ("I love it", [("explain", {"track": "9"}, "...")], ("feedback", "track", "9")),
    ("more like that one", [("feedback", {"track": "6", "signal": "like"}, "ok")],
     ("recommend", "similar_to", "6")),
    ("why this one?", [("feedback", {"track": "2", "signal": "skip"}, "ok")],
     ("explain", "track", "2")),
    # a new list forgets the old positions
    ("skip that", [("explain", {"track": "4"}, "..."), ("recommend", {"request": "calm"}, "...")],
     ("feedback", "track", "1")),
    # "the last one" is the end of the list as long as it was
    ("why the last one?", [("recommend", {"request": "", "count": 10}, "Here are 10 tracks")],
     ("explain", "track", "10")),
    ("I hate the last one", [("recommend", {"request": "jazz"}, "Here are 37 jazz tracks: ...")],
     ("feedback", "track", "37")),
]


@pytest.mark.parametrize(("text", "calls", "expected"), CONTEXT_CASES)
def test_context_from_earlier_turns(
    text: str, calls: list[tuple[str, dict[str, Any], str]], expected: tuple[str, str, str]
) -> None:
    reply = bound_model().invoke([*_after_calls(*calls), HumanMessage(text)])
    name, key, value = expected
    assert [c["name"] for c in reply.tool_calls] == [name]
    assert reply.tool_calls[0]["args"][key] == value


# ---------------------------------------------------------------- the model's other duties


def test_results_are_phrased_with_their_facts_intact() -> None:
    summary = "50 calm tracks: 1. Weightless (Marconi Union, score 0.82), 2. Holocene (Bon Iver)"
    call = {"name": "recommend", "args": {"request": "calm"}, "id": "call_a"}
    messages = [HumanMessage("something calm"), AIMessage("", tool_calls=[call]),
                ToolMessage(summary, tool_call_id="call_a", name="recommend")]
    reply = bound_model().invoke(messages)
    assert not reply.tool_calls
    assert summary in reply.content
    assert len(reply.content) < len(summary) + 200


def test_several_results_are_all_phrased_and_errors_said_plainly() -> None:
    calls = [{"name": "feedback", "args": {"track": "2", "signal": "like"}, "id": "a"},
             {"name": "explain", "args": {"track": "99"}, "id": "b"}]
    messages = [HumanMessage("I love number 2, why number 99?"), AIMessage("", tool_calls=calls),
                ToolMessage("Liked track 2: Holocene.", tool_call_id="a"),
                ToolMessage("There is no track 99 in your list of 50.", tool_call_id="b",
                            status="error")]
    reply = bound_model().invoke(messages)
    assert "Liked track 2: Holocene." in reply.content
    assert "Sorry, I couldn't explain a track: There is no track 99 in your list of 50." in (
        reply.content)


def test_an_empty_tool_result_still_gets_a_reply() -> None:
    call = {"name": "rerank", "args": {"criterion": "calmer"}, "id": "a"}
    messages = [HumanMessage("calmer"), AIMessage("", tool_calls=[call]),
                ToolMessage("", tool_call_id="a")]
    assert bound_model().invoke(messages).content.strip()


def test_only_bound_tools_are_called() -> None:
    reply = bound_model(("explain",)).invoke([HumanMessage("something calm")])
    assert not reply.tool_calls
    assert "find new music" in reply.content
    both = bound_model(("explain",)).invoke([HumanMessage("why number 2? Something calm.")])
    assert [c["name"] for c in both.tool_calls] == ["explain"]


def test_an_unbound_model_answers_in_words() -> None:
    reply = RulesChatModel().invoke([HumanMessage("why number 4?")])
    assert not reply.tool_calls and reply.content


def test_call_ids_are_unique_and_deterministic() -> None:
    messages: list[BaseMessage] = [HumanMessage("I love the second one, now play something calmer")]
    (first, _), (again, _) = run_turn(bound_model(), messages), run_turn(bound_model(), messages)
    ids = [c["id"] for c in first]
    assert len(set(ids)) == len(ids) == 2
    assert ids == [c["id"] for c in again]
    later, _ = run_turn(bound_model(), [*messages, AIMessage("ok"), *messages])
    assert not set(ids) & {c["id"] for c in later}


def test_the_requests_of_a_message_are_called_one_after_another() -> None:
    model = bound_model()
    messages: list[BaseMessage] = [HumanMessage("I love number 2 and hate number 5")]
    first = model.invoke(messages)
    assert [(c["name"], c["args"]["track"]) for c in first.tool_calls] == [("feedback", "2")]
    messages += [first, ToolMessage("Noted that you like #2.",
                                    tool_call_id=first.tool_calls[0]["id"])]
    second = model.invoke(messages)
    assert [(c["name"], c["args"]["track"]) for c in second.tool_calls] == [("feedback", "5")]
    messages += [second, ToolMessage("Noted that you don't like #5.",
                                     tool_call_id=second.tool_calls[0]["id"])]
    reply = model.invoke(messages)
    assert not reply.tool_calls
    assert reply.content.index("like #2") < reply.content.index("#5")


def test_a_question_back_when_the_track_is_unclear() -> None:
    reply = bound_model().invoke([HumanMessage("why do you keep recommending rap?")])
    assert not reply.tool_calls
    assert "which track" in reply.content.lower()


def test_model_identity() -> None:
    model = RulesChatModel()
    assert model._llm_type == "tunemate-rules"
    assert bound_model().tool_names == TOOLS


async def test_async_gives_the_same_answer() -> None:
    messages = [HumanMessage("90s rock, no rap, 15 songs")]
    sync, async_ = bound_model().invoke(messages), await bound_model().ainvoke(messages)
    assert sync.tool_calls == async_.tool_calls
    assert sync.tool_calls[0]["args"] == {
        "request": "", "count": 15, "decade": 1990,
        "include_genres": ["rock"], "exclude_genres": ["rap"],
    }


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
       | st.lists(st.sampled_from([t for t, _ in PHRASINGS] + ["no", "#", "'", "\"", "5"]),
                  max_size=4).map(" ".join))
def test_any_text_gets_tool_calls_or_words(text: str) -> None:
    reply = bound_model().invoke([HumanMessage(text)])
    assert reply.tool_calls or (isinstance(reply.content, str) and reply.content.strip())
    again = bound_model().invoke([HumanMessage(text)])
    assert (reply.content, reply.tool_calls) == (again.content, again.tool_calls)
