"""Never invert feedback: every reward a sentiment-bearing message records has its sign.

Each message goes through the real app, the real agent with the offline model and real
Postgres; the rewards are read back from ``feedback_events``. A message the model is unsure
of may be asked about instead (no reward), but a like is never stored as negative nor a
dislike as positive. None of these messages is in the training corpus (a test says so).
"""

from __future__ import annotations

from typing import Any

import asyncpg

from bot.agent.nlu.generate import read_corpus
from bot.agent.nlu.natural import read_natural
from tests.helpers import new_user, say, start_session

POSITIVE = [
    "I hate to admit it but number 1 is brilliant",
    "number 2 slaps",
    "oh wow, track 3 is gorgeous",
    "really enjoying number 4",
    "the fifth song is lovely",
    "I adore the second track",
    "track 6 is such a vibe",
    "number 7 is exactly what I needed",
    "that third one is a banger honestly",
    "love love love number 2",
    "number 1 is fantastic",
    "I really dig track 4",
    "song 5 is beautiful",
    "can't get enough of number 3",
    "the first one is superb",
    "track 8 is pure fire",
    "number 9 is a great tune",
    "I like the fourth one a lot",
    "the sixth one is really good",
    "number 10 is awesome",
    "save number 2 please, it's great",
    "please save track 5",
    "bookmark the seventh song for me",
    "add number 3 to my playlist",
    "put track 4 on my playlist please",
    "I had number 6 on repeat",
    "play the second one again",
    "replay number 8",
    "I listened to number 9 all the way through",
    "played track 1 right to the end",
    "don't skip number 2, I love it",
    "I don't hate number 3 at all, it's nice",
    "number 4 isn't bad, I like it",
    "never skip track 5, it's amazing",
    "the top one is excellent",
    "number 1 ❤️",
    "track 2 🔥🔥",
    "number 3 👍",
    "number 4 is a masterpiece",
    "track 7 is my new favourite",
    "the eighth track is wonderful",
    "number 6 is so catchy, love it",
    "i luv number 5",
    "number 2 is increadible",
    "wow number 9 is great",
    "the tenth one is a gem",
    "number 1 hits different",
    "number 3 goes hard",
    "big fan of track 2",
    "honestly number 5 rocks",
    "number 7 is perfect for me",
    "the penultimate one is lovely",
    "I'm really feeling number 4",
    "number 8 is such a good pick",
    "nice pick with number 6, I like it",
    # degree words ("a bit", "total", "real", "way") around a positive word (issue 9)
    "track 3 is an absolute treat",
    "number 6 is a real stunner",
    "the second one is kind of brilliant",
    "number 9 is a bit of a gem",
    "track 8 is a total joy to listen to",
    "number 5 is quite the tune",
    "the fourth song is a real highlight",
    "number 1 is way too good to skip",
]
NEGATIVE = [
    "I hate number 1, never play it again",
    "please never play number 3 again",
    "track 5 is trash",
    "number 2 is awful",
    "honestly I can't stand song four",
    "number 6 is boring",
    "not a fan of track 7",
    "I really don't like number 8",
    "number 9 sucks",
    "the tenth one is terrible",
    "I dislike the second track a lot",
    "number 1 is so annoying",
    "track 3 is rubbish",
    "number 4 is the worst",
    "the fifth one is not for me",
    "don't ever play number 6 again",
    "never show me track 2 again",
    "get rid of number 7",
    "number 8 is garbage",
    "I don't like the third one at all",
    "number 5 is not good",
    "track 9 isn't great",
    "number 2 is horrible",
    "the first one is dreadful",
    "skip number 4",
    "skip the third one please",
    "skip this track, not for today",
    "just skip that song",
    "pass on number 6",
    "not feeling number 7 right now",
    "can you skip track 8",
    "number 3 is cringe",
    "number 1 is mid",
    "track 2 is lame",
    "number 5 👎",
    "I hate hate hate number 6",
    "number 7 makes me want to scream, it's so bad",
    "ugh number 8 is awful",
    "number 9 is unbearable",
    "never again with number 10",
    "I don't love number 4 at all",
    "number 3 is not good at all",
    "I never want to hear track 2 again",
    "that last one is just awful",
    "number 6 is a hard no",
    "i h8 number 1",
    "number 2 is painful",
    "track 4 is really bad",
    "no more of number 5 please, I hate it",
    "number 7 is so irritating",
    "I'm not into number 8",
    "number 9 was a bad pick",
    "the second one is boring as hell",
    "nope, number 3 is terrible",
    "remove number 6, I hate it",
    # degree words around a negative idiom: once recorded as likes (issue 9)
    "number 3 is a total snooze",
    "number 10 is a bit much",
    "track 4 is a complete snoozefest",
    "number 7 is a bit too much for me honestly",
    "the sixth one is a real bore",
    "number 2 is way too shouty",
    "number 8 is kind of a letdown",
    "track 1 is an absolute slog",
    "number 9 is just too much",
    "number 5 is a bit of a downer",
    "number 6 is all a bit much",
    "the third one is a total drag",
]

MESSAGES = [(text, 1) for text in POSITIVE] + [(text, -1) for text in NEGATIVE]
PER_USER = 20  # well under the per-user rate limit


def test_the_suite_is_big_and_unseen() -> None:
    assert len(MESSAGES) >= 100
    assert len({t for t, _ in MESSAGES}) == len(MESSAGES)
    corpus = {r["text"].lower().strip() for r in read_corpus() + read_natural()}
    assert not [t for t, _ in MESSAGES if t.lower().strip() in corpus]


async def test_no_reward_ever_has_the_wrong_sign(client: Any, pg: asyncpg.Connection) -> None:
    wrong: list[tuple[str, float]] = []
    recorded = 0
    for start in range(0, len(MESSAGES), PER_USER):
        user_id, headers = await new_user(client, name=f"sign{start}")
        session = (await start_session(client, headers))["data"]["session_id"]
        for text, sign in MESSAGES[start:start + PER_USER]:
            before = await pg.fetchval(
                "SELECT count(*) FROM feedback_events WHERE user_id = $1", user_id)
            reply = await say(client, headers, session, text)
            assert reply["reply"].strip(), text
            rewards = [r["reward"] for r in await pg.fetch(
                "SELECT reward FROM feedback_events WHERE user_id = $1 "
                "ORDER BY created_at OFFSET $2", user_id, before)]
            recorded += bool(rewards)
            wrong += [(text, reward) for reward in rewards if reward * sign <= 0]
            if not rewards:  # nothing recorded: the reply must be a question, not an action
                assert not [a for a in reply["actions"] if a["tool"] == "feedback"], text
                assert "?" in reply["reply"], (text, reply["reply"])
    assert wrong == []
    assert recorded >= 0.85 * len(MESSAGES)  # asking is allowed, but not as a way out
