"""The 44-item Big Five questionnaire the page shows, in wording written for tunemate.

Each item is scored by the BFI-44 key in ``recommender.personality`` (its number says which
trait it feeds and whether it is reverse-keyed); the published item wordings are not ours to
copy, so every statement below was written here. Answers use the usual five-point agreement
scale, 1 = disagree strongly … 5 = agree strongly.
"""

from __future__ import annotations

from typing import Any

from recommender.personality import BFI44_KEY

SCALE_LABELS = ("Disagree strongly", "Disagree a little", "Neither agree nor disagree",
                "Agree a little", "Agree strongly")

# item number -> statement; the number fixes the trait and the keying (BFI44_KEY)
STATEMENTS: dict[int, str] = {
    1: "I like to talk and rarely run out of things to say.",
    2: "I am quick to point out what other people got wrong.",
    3: "I finish tasks properly and pay attention to the details.",
    4: "I often feel low or gloomy.",
    5: "I come up with new and unusual ideas.",
    6: "I tend to keep my thoughts to myself.",
    7: "I go out of my way to help other people.",
    8: "I can be a bit careless.",
    9: "I stay relaxed when things get stressful.",
    10: "I am curious about all kinds of things.",
    11: "I bring a lot of energy to whatever I do.",
    12: "I get into arguments easily.",
    13: "People can count on me to do what I said I would.",
    14: "I get tense easily.",
    15: "I enjoy thinking hard about difficult problems.",
    16: "I can get other people excited about an idea.",
    17: "I let go of grudges quickly.",
    18: "My belongings and plans tend to be in a muddle.",
    19: "I worry about a lot of things.",
    20: "I have a lively imagination.",
    21: "I am on the quiet side when I am with a group.",
    22: "I assume the best about people.",
    23: "I put things off or take it easy when I should be busy.",
    24: "My mood is steady and hard to upset.",
    25: "I like to invent and make things.",
    26: "I speak up and make my views known.",
    27: "I can come across as distant or unfriendly.",
    28: "I keep going with a task until it is done.",
    29: "My mood goes up and down a lot.",
    30: "Art, music or writing can move me deeply.",
    31: "I hold back when I meet new people.",
    32: "I am considerate and kind to almost everyone.",
    33: "I get things done without wasting effort.",
    34: "I keep my cool in difficult situations.",
    35: "I prefer to do things the way I always have.",
    36: "I enjoy company and make friends easily.",
    37: "I can be curt or rude when I am annoyed.",
    38: "I make plans and stick to them.",
    39: "I get nervous easily.",
    40: "I enjoy playing with ideas and turning them over.",
    41: "The arts do not interest me much.",
    42: "I would rather work with others than compete with them.",
    43: "My attention wanders easily.",
    44: "I have a good ear or eye for music, art or design.",
}


def questionnaire_items() -> list[dict[str, Any]]:
    """The 44 items in number order: number, text, the trait it feeds, reverse-keyed or not."""
    keyed = {number: (trait, reverse)
             for trait, items in BFI44_KEY.items() for number, reverse in items}
    items = []
    for number in sorted(STATEMENTS):
        trait, reverse = keyed[number]
        items.append({"number": number, "text": STATEMENTS[number], "trait": trait,
                      "reverse": reverse})
    return items
