"""Everyday English → tunemate tool calls, for the offline chat model.

`read_message` splits a chat message into sentences, reads each one into at most one tool
request (personality, explain, recommend with `similar_to`, feedback, rerank, recommend, in
that order of precedence) and merges the recommend requests of one message into one.

Everything is keyword tables and regular expressions over a normalised, lower-case text;
track *names* are taken from the text as the user typed it. The same text and context always
give the same requests.

Choices made where the product spec is silent:
- "that", "it", "skip" with no track named mean the track last explained or given feedback
  on in this list; with none, track 1 (the top of the list, the one the user saw first).
  A new list (recommend, rerank) forgets it, because the positions changed.
- "the last one" is the list's length: the count the last recommend result states, else the
  count it was asked for, else 50. "second to last" is one less.
- Comparatives ("calmer", "more upbeat" → more_energetic) re-rank the current list, unless
  the message also asks for a count, a tempo, excluded genres or a new list.
- "hip hop" → rap (the catalogue's genre; its subgenres are hip hop, trap …). Counts are
  capped at 50. "obscure" → max_popularity 40, "popular / hits" → min_popularity 60,
  "around N bpm" → N ± 10. "00s"–"20s" are 2000–2020, "30s"–"90s" are 1930–1990.
- Year bounds: "after 2010" is 2011 on and "before 2000" up to 1999 (the year named is out),
  "since 2010", "2015 or later", "up to 2005" and "from 2000 to 2005" keep it; "nothing
  before 2015" is 2015 on. "nothing faster than 90 bpm" is at most 90.
- Described traits sit at 3 ± 1 on 1–5: "very" ± 1.5, "quite" ± 1.25, "a bit" ± 0.75,
  "not very outgoing" 2.25; several words for one trait are averaged. Explicit scores on
  0–100 are mapped onto 1–5.
"""

from bot.agent.intent.context import Context, ToolRequest
from bot.agent.intent.message import read_message, remember
from bot.agent.intent.words import normalise

__all__ = ["Context", "ToolRequest", "normalise", "read_message", "remember"]
