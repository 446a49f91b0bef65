"""Words of conversation with the assistant itself: greetings, thanks, farewells, nods and
questions about what it is or how to use it.

The chat intent is made of many short messages whose words the corpus cannot all hold
("heya", "much obliged", "laters", "what are your features?"). A clause gets a
mark for each kind of conversation it contains, so a greeting the classifier never saw
still looks like the greetings it did see; and CHATONLY when every word of it is
conversation, so "cheers, mate" is told apart from "cheers, more rock". Marks only add
evidence: the intent model decides, and the feedback models never see them.
"""

from __future__ import annotations

import re
from functools import lru_cache

CHAT_MARKS = ("CHATGREET", "CHATTHANKS", "CHATBYE", "CHATNOD", "CHATABOUT", "CHATONLY")

# word phrases (normalised, lower case), by the kind of conversation they are
_PHRASES = {
    "CHATGREET": (
        "hi", "hey", "hello", "hiya", "heya", "hey there", "hi there", "hello there", "howdy",
        "yo", "sup", "wassup", "whassup", "what's up", "whats up", "greetings", "salutations",
        "morning", "good morning", "afternoon", "good afternoon", "evening", "good evening",
        "g'day", "hola", "bonjour", "ahoy", "oi", "hallo", "hellooo", "heyy", "heyyy", "hii",
        "hiii", "helo", "hullo", "howdy partner", "long time no see", "nice to meet you",
        "pleased to meet you", "how are you", "how are you doing", "how's it going",
        "how is it going", "how are things", "how you doing", "how's things", "you there",
        "anyone there", "are you there",
    ),
    "CHATTHANKS": (
        "thanks", "thank you", "thank u", "thx", "thnx", "thanx", "ty", "tysm", "tyvm", "ta",
        "cheers", "many thanks", "thanks a lot", "thanks a bunch", "thanks a million",
        "appreciate it", "appreciated", "i appreciate it", "grateful",
        "much obliged", "obliged", "merci", "gracias", "danke", "thank you kindly",
        "you're a star", "you are a star", "you're the best", "you are the best", "legend",
        "you legend", "good job", "well done", "nice work", "great work", "good work",
        "good bot", "you rock", "you're great", "you are great", "you're awesome",
        "you are awesome", "you're amazing", "you're brilliant", "you're so helpful",
        "very helpful", "so helpful", "that helped", "that was helpful",
    ),
    "CHATBYE": (
        "bye", "bye bye", "byebye", "goodbye", "good bye", "see ya", "see you", "see you later",
        "see you soon", "see you tomorrow", "cya", "laters",
        "talk later", "talk to you later", "ttyl", "farewell", "goodnight", "good night",
        "night night", "nighty night", "take care", "peace out", "adios", "ciao",
        "au revoir", "so long", "gotta go", "got to go", "i'm off", "im off", "i'm out",
        "signing off", "logging off", "that's all", "that is all", "that's it for now",
        "that's all for now", "i'm done", "i'm done for today", "all done", "until next time",
        "have a good day", "have a nice day", "have a good one",
    ),
    "CHATNOD": (
        "ok", "okay", "okey", "k", "kk", "okie", "okie dokie", "okey dokey", "alright",
        "all right", "aight", "sure", "sure thing", "fine", "right", "roger", "roger that",
        "got it", "understood", "noted", "i see", "makes sense", "fair enough",
        "cool", "cool cool", "nice", "nice one", "neat", "sweet", "great", "lovely",
        "brilliant", "awesome", "perfect", "splendid", "ace", "sounds good", "sounds great",
        "sounds fine", "no worries", "no problem", "np", "will do", "yep", "yup", "yeah",
        "yes", "uh huh", "mhm", "good to know", "good stuff", "i understand", "copy that",
        "wicked", "excellent", "fab", "super",
    ),
    "CHATABOUT": (
        "help", "help me", "helpp", "commands", "command list", "list of commands", "menu",
        "instructions", "manual", "tutorial", "guide", "faq", "usage", "features",
        "capabilities", "what can you do", "what else can you do",
        "what can i do", "what can i say", "what can i ask", "what can i ask you",
        "what should i say", "what should i type", "what do i type", "what do you do",
        "how does this work", "how does it work", "how do you work", "how does tunemate work",
        "how do i use this", "how do i use you", "how do i use it", "how to use",
        "how can i use this", "who are you", "what are you",
        "tell me about yourself", "introduce yourself", "what's your name",
        "what is your name", "your name", "are you a bot", "are you a robot", "are you human",
        "are you real", "are you an ai", "are you a person", "who made you", "who built you",
        "what are your features", "what are you for", "what are you able to do",
        "what are my options", "where do i start", "how do i start", "getting started",
        "i'm new here", "im new here", "i'm lost", "i'm confused", "how does this app work",
        "explain yourself", "what is tunemate", "what's tunemate",
        "things can you do", "things you can do", "things do you do", "can you help with",
        "are you able to do", "what are you good at", "what are you capable of",
    ),
}

# what may sit beside conversation in a message that is nothing else: names of the
# assistant, addressing words, fillers and punctuation
_BESIDE = frozenset({
    "mate", "buddy", "bud", "pal", "friend", "dude", "man", "bro", "fam", "there", "again",
    "so", "very", "much", "really", "a", "lot", "please", "pls", "plz", "um", "umm", "uh",
    "oh", "ah", "well", "and", "then", "now", "for", "that", "this", "just", "all", "everyone",
    "tunemate", "bot", "you", "guys", "folks", "too", "as", "always", "lol", "haha",
    "hehe", ":)", ":-)", ":d", "xx", "x", "sir", "madam", "boss", "chief", "heaps", "loads",
    "tons", "lots", "everything", "the", "help", "songs", "music", "tunes", "recs", "today",
    "tonight",
})


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    patterns = []
    for mark, phrases in _PHRASES.items():
        longest_first = sorted(set(phrases), key=len, reverse=True)
        alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in longest_first)
        patterns.append((mark, re.compile(rf"(?<![\w'])(?:{alternation})(?![\w'])")))
    return patterns


def conversation_marks(text: str) -> list[str]:
    """The conversation marks of a normalised clause, in the order of CHAT_MARKS."""
    marks: list[str] = []
    rest = text
    for mark, pattern in _patterns():
        if pattern.search(text):
            marks.append(mark)
            rest = pattern.sub(" ", rest)
    if marks and all(w in _BESIDE for w in re.findall(r"[\w':()-]+", rest)):
        marks.append("CHATONLY")
    return marks


def mark_conversation(text: str) -> str:
    """A normalised clause with its conversation marks appended."""
    marks = conversation_marks(text)
    return f"{text} {' '.join(marks)}" if marks else text
