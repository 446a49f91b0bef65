"""A whole chat message: sentences read in order of precedence, recommends merged into one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.agent.intent.context import MAX_COUNT, Clarify, Context, Reading, ToolRequest
from bot.agent.intent.explain import read_explain
from bot.agent.intent.feedback import read_feedback
from bot.agent.intent.personality import read_personality
from bot.agent.intent.positions import find_position
from bot.agent.intent.recommend import read_recommend, read_similar
from bot.agent.intent.rerank import read_rerank
from bot.agent.intent.words import normalise

_HELP = re.compile(
    r"^(?:i need |can you |please )?(?:help|\?+|menu|commands|options)(?: me)?\W*$|"
    r"\bwhat (?:can|do) you do\b|\btell me about (?:yourself|you)\b|"
    r"\bhow (?:does )?(?:this|it|tunemate|you) works?\b|\bhow do i use\b|"
    r"\bwho are you\b|\bwhat are you\b"
)
_SENTENCE_BREAK = re.compile(
    # a full stop, but not the one in "Mr. Brightside" or "feat. Drake"
    r"(?<!\bmr\.)(?<!\bmrs\.)(?<!\bms\.)(?<!\bdr\.)(?<!\bst\.)(?<!\bvs\.)(?<!\bft\.)"
    r"(?<!\bfeat\.)(?<=[.!?;])\s+"
    # ("the song playing right now is awful", "calm stuff for now please": no new request)
    r"|(?<!right)(?<!just)(?<!for)(?<!until)(?<!till)(?<!not),?\s+"
    r"(?:and then|and now|and also|then|now|also)\s+(?=[\w#])|,\s+plus\s+"
    # "I love number 2 and hate number 5": a second verb about a track starts a new request
    # ("skip 4 and give me new stuff", "put the calm ones first and tell me about #2")
    r"|,?\s+and\s+(?=(?:i\s+)?(?:hate|love|like|dislike|skip|save|add|why|explain|give|gimme|"
    r"tell|show|sort|reorder|recommend|play|put|move|shuffle|reverse|remove|delete|find)\b"
    r"|more\s+(?:like|of)\b)"  # ("love 5 and more like it")
    # "i'm very introverted so show me calm music": a request after what the speaker is
    r"|,?\s+so\s+(?=(?:please\s+|pls\s+|can\s+you\s+|could\s+you\s+)?(?:give|gimme|show|play|"
    r"recommend|suggest|find)\b)",
    re.I,
)


def _read_sentence(original: str, context: Context) -> Reading | None:
    text = normalise(original)
    if not text or (_HELP.search(text) and not find_position(text, context)):
        return None
    reading = read_explain(text, original, context) or read_personality(text)
    if reading:
        return reading
    if similar := read_similar(text, original, context):
        return read_recommend(similar[1], similar_to=similar[0])
    reading = read_feedback(text, original, context)
    if reading:
        return reading
    rerank, recommend = read_rerank(text), read_recommend(text)
    if rerank and not (recommend and _beyond_rerank(text, recommend, rerank)):
        return rerank
    return recommend


def _beyond_rerank(text: str, recommend: ToolRequest, rerank: ToolRequest) -> bool:
    """Whether a message with a comparative ("calmer") asks for more than re-ordering the list:
    a count, a tempo, excluded genres or a fresh list make it a new recommendation."""
    said = set(recommend.args) - {"request"}
    said -= _RERANK_SAYS.get(rerank.args["criterion"], set())
    return bool(said) or bool(_FRESH.search(text))


_RERANK_SAYS = {
    "genre": {"include_genres"}, "decade": {"decade"},
    "less_popular": {"max_popularity"}, "more_popular": {"min_popularity"},
}
_FRESH = re.compile(r"\b(?:new|fresh|different|another)\b")


def _merge_recommends(requests: list[ToolRequest]) -> list[ToolRequest]:
    """One message asks for one list: "Something calm. No rap." is a single recommend."""
    merged: list[ToolRequest] = []
    first: ToolRequest | None = None
    for request in requests:
        if request.name != "recommend" or first is None:
            merged.append(request)
            first = request if request.name == "recommend" and first is None else first
            continue
        for key, value in request.args.items():
            if key == "request" and value:
                first.args["request"] = ", ".join(filter(None, (first.args["request"], value)))
            elif isinstance(value, list):
                first.args[key] = first.args.get(key, []) + [v for v in value
                                                             if v not in first.args.get(key, [])]
            else:
                first.args.setdefault(key, value)
    return merged


def merge_trait_settings(requests: list[ToolRequest]) -> list[ToolRequest]:
    """One message sets the profile once: "I'm very organized and like routine" is one
    personality request with both traits (a trait said twice keeps its first value)."""
    merged: list[ToolRequest] = []
    first: ToolRequest | None = None
    for request in requests:
        if request.name == "personality" and request.args.get("action") == "set":
            if first is not None:
                for trait, value in request.args.items():
                    first.args.setdefault(trait, value)
                continue
            first = request
        merged.append(request)
    return merged


def remember(request: ToolRequest, context: Context) -> None:
    """Update the context with a tool call, ours or one read back from the history."""
    if request.name in ("explain", "feedback") and request.args.get("track"):
        context.last_track = str(request.args["track"])
    elif request.name in ("recommend", "rerank"):
        context.last_track = None
        if request.name == "recommend":
            context.list_length = int(request.args.get("count") or MAX_COUNT)


@dataclass
class MessageReading:
    """What a whole chat message asks for: tool requests, or else a question back."""

    requests: list[ToolRequest] = field(default_factory=list)
    clarification: str | None = None


def read_message(message: str, context: Context) -> MessageReading:
    """Read one chat message. `context` is updated as the requests are read, so that a
    later sentence's "that one" can mean the track an earlier sentence named."""
    requests: list[ToolRequest] = []
    clarification: str | None = None
    message = re.sub(r"\b(?:no|No|NO)\.\s*(?=\d)", "number ", message.strip())  # not a full stop
    for sentence in _SENTENCE_BREAK.split(message):
        reading = _read_sentence(sentence, context) if sentence else None
        if isinstance(reading, Clarify):
            clarification = clarification or reading.question
        elif reading is not None:
            remember(reading, context)
            requests.append(reading)
    return MessageReading(_merge_recommends(requests), None if requests else clarification)
