"""Words the corpus generator fills its templates with.

Every list is split in two: words the training families may use, and words held out for the
test families only (``Words.held``), so the test split measures phrasings *and* vocabulary the
model never saw. Nothing here is read at run time; the model learns from the corpus alone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    train: tuple[str, ...]
    held: tuple[str, ...] = ()

    def pool(self, test: bool) -> tuple[str, ...]:
        return self.train + self.held if test else self.train


# ---------------------------------------------------------------- feedback, by signal
# {T} is a track reference ("number 3", "the last one", "it", a name).

LIKE = Words(
    train=(
        "I love {T}", "I like {T}", "{T} is great", "{T} is amazing", "{T} is fire",
        "{T} is a banger", "really digging {T}", "{T} is so good", "big fan of {T}",
        "{T} rocks", "{T} is my jam", "{T} is a vibe", "obsessed with {T}", "{T} is lovely",
        "I enjoyed {T}", "{T} was really nice", "thumbs up for {T}", "{T} 🔥", "{T} is perfect",
        "I adore {T}", "{T} is beautiful", "loving {T}", "{T} is brilliant", "{T} is a bop",
        "{T} hits hard", "{T} is a great pick", "I really like {T}", "{T} is so good omg",
        "ooh I love {T}", "{T} is exactly my taste", "{T} is good", "nice, {T} is good",
        "{T} is just what I wanted", "keep {T}, it's great", "don't skip {T}, it's great",
        "{T} is not bad at all", "I don't hate {T}, actually I like it", "I can't get enough of {T}",
        "{T} is excellent", "{T} is top notch", "i luv {T}", "{T} is awesome", "{T} ❤",
        "{T} 👍", "good call on {T}", "{T} is incredible", "wow {T} is great",
        "{T} slaps", "{T} goes hard", "{T} is a certified bop", "{T} hits different",
        "{T} is a total tune", "{T} is pure gold", "{T} is chef's kiss", "{T} is a gem",
        "{T} absolutely rules", "I'm into {T}", "{T} is wonderful", "{T} is a masterpiece",
        "{T} isn't bad at all", "I don't dislike {T}", "I wouldn't skip {T}, it's lovely",
    ),
    held=(
        "{T} is stunning", "{T} is superb", "I'm really into {T}", "huge fan of {T}",
        "never skip {T}, I love it", "fond of {T}", "honestly {T} is amazing",
        "{T} is such a great song", "I really love {T}", "{T} was a great find",
        "{T} is gorgeous", "{T} is fabulous", "what a banger {T} is", "so into {T} right now",
        "{T} is really really good",
    ),
)
DISLIKE = Words(
    train=(
        "I hate {T}", "I hate {T}, never play it again", "{T} is trash", "{T} sucks",
        "not a fan of {T}", "{T} is awful", "I can't stand {T}", "{T} is terrible",
        "never play {T} again", "please never play {T} again", "I don't like {T}",
        "{T} is not for me", "{T} is boring", "{T} is annoying", "{T} is the worst",
        "I dislike {T}", "{T} is garbage", "never show me {T} again", "thumbs down for {T}",
        "{T} isn't good", "I really don't like {T}", "get rid of {T}", "{T} is bad",
        "don't ever play {T} again", "ugh, {T} is awful", "I didn't like {T}", "{T} is cringe",
        "{T} is not my thing", "{T} 👎", "{T} is so bad", "I'm not into {T}", "{T} is horrible",
        "{T} is rubbish", "keep {T} away from me", "remove {T} from my list forever",
        "i h8 {T}", "{T} is unbearable", "I never want to hear {T} again", "{T} is not good",
        "do not play {T} ever again", "ban {T}", "{T} is dreadful", "{T} is painful to listen to",
        "{T} was a bad pick", "{T} is not great", "{T} is mid", "{T} is straight trash",
        "{T} makes my ears bleed", "{T} is a hard no", "{T} is a snooze", "yuck, {T}",
        "{T} is unlistenable", "{T} is not a vibe", "{T} grates on me", "{T} is irritating",
        "I don't really like {T}", "not loving {T}", "{T} is not very good", "{T} isn't great",
    ),
    held=(
        "{T} is lame", "I loathe {T}", "I detest {T}", "{T} is a flop",
        "I don't love {T} at all", "nope, never {T} again", "I really can't stand {T}",
        "{T} is pretty bad", "honestly {T} is awful", "{T} is not good at all",
        "{T} is so annoying", "{T} is the worst song", "{T} is dull", "never again {T}",
        "I never want {T} again", "please don't play {T} again",
    ),
)
SKIP = Words(
    train=(
        "skip {T}", "skip", "next", "pass on {T}", "not feeling {T} right now",
        "not in the mood for {T} now", "can we skip {T}", "I'll pass on {T}", "skip {T} please",
        "skip this one", "not right now, skip {T}", "move on from {T}", "next one please",
        "skip {T} for now", "let's skip {T}", "skipping {T}", "go past {T}", "skip it",
        "not now", "maybe later for {T}", "{T}, skip", "jump over {T}", "skip that",
        "skip {T}, not today", "next track", "I'll give {T} a miss", "bypass {T}",
    ),
    held=(
        "fast forward past {T}", "move past {T}", "not today for {T}", "skip over {T}",
        "hop over {T}", "please skip {T}", "skip {T}, not in the mood", "can you skip {T}?",
    ),
)
SAVE = Words(
    train=(
        "save {T}", "bookmark {T}", "save {T} for later", "star {T}", "favourite {T}",
        "add {T} to my favourites", "save {T} please", "keep {T} for later", "mark {T} as favourite",
        "can you save {T}", "I want to save {T}", "remember {T} for me", "favorite {T}",
    ),
    held=("stash {T} for later", "save {T} for me please", "put {T} in my saved songs",
          "could you bookmark {T}?", "I want {T} saved"),
)
PLAYLIST = Words(
    train=(
        "add {T} to my playlist", "put {T} on my playlist", "stick {T} in the playlist",
        "add {T} to the playlist", "playlist {T}", "throw {T} onto my playlist",
        "can you add {T} to my playlist", "{T} goes on my playlist", "add {T} to playlist",
    ),
    held=("chuck {T} in my playlist", "pop {T} into my playlist", "include {T} in my playlist",
          "{T} should go on my playlist"),
)
REPEAT = Words(
    train=(
        "play {T} again", "I had {T} on repeat", "replay {T}", "put {T} on repeat",
        "I keep replaying {T}", "{T} again please", "play {T} one more time",
        "I've had {T} on repeat all day", "repeat {T}", "I listened to {T} over and over",
        "play {T} once more", "loop {T}", "{T} on loop please", "spin {T} again",
    ),
    held=("run {T} back", "{T} on repeat please", "play {T} again please", "replay {T} for me",
          "I can't stop replaying {T}"),
)
PLAYED = Words(
    train=(
        "I listened to {T} all the way through", "played {T} to the end", "I finished {T}",
        "I listened to the whole thing", "I played {T} all the way through",
        "heard {T} to the end", "I listened to all of {T}",
    ),
    held=("I sat through the whole of {T}", "made it to the end of {T}"),
)

# ---------------------------------------------------------------- explain

EXPLAIN = Words(
    train=(
        "why {T}?", "why is {T} here?", "why did you pick {T}?", "explain {T}",
        "how come {T} is in my list?", "what's the reason for {T}?", "tell me about {T}",
        "what makes {T} a good fit?", "why was {T} recommended?", "why'd you put {T} in?",
        "what is {T} doing here?", "reasoning behind {T}?", "break down {T} for me",
        "how did {T} end up on the list?", "why {T} though", "explain {T} please",
        "why is {T} so high?", "can you explain {T}", "why did {T} make the cut?",
        "why would you recommend {T}?", "why is {T} in here", "what's {T} doing in my list",
        "explian {T}", "y {T}", "how come {T}?", "why did you choose {T}?",
        "how come {T} is there", "why's {T} on here?", "what's so special about {T}?",
    ),
    held=(
        "justify {T}", "what's the logic behind {T}?", "what's the story with {T}?",
        "why on earth is {T} here?", "what earned {T} a spot?", "how did {T} get picked?",
        "walk me through {T}", "what's the deal with {T}?",
    ),
)

# ---------------------------------------------------------------- rerank, by criterion

RERANK = {
    "calmer": Words(
        train=("calmer", "play something calmer", "now something a bit calmer", "a bit calmer", "make it calmer", "more chill", "tone it down",
               "less intense", "slow things down", "mellower please", "more relaxed",
               "less hype", "order them calmest first", "put the chill ones first",
               "sort by calmness", "can you make the list more relaxing", "chiller",
               "something calmer", "quieter please", "softer", "less energetic",
               "make it more peaceful", "calm it down a bit", "less loud"),
        held=("dial it back", "gentler", "take the energy down a notch", "more laid back",
              "sleepier please", "put the soothing ones on top"),
    ),
    "more_energetic": Words(
        train=("more upbeat", "play something more upbeat", "put on something livelier", "more energetic", "pump it up", "livelier", "faster",
               "more energy", "kick it up a notch", "less chill", "speed things up",
               "make it more intense", "put the energetic ones first", "sort by energy",
               "more hype", "louder", "less sleepy", "crank it up", "more upbeat please"),
        held=("punchier", "make it bang harder", "more oomph", "amp it up",
              "put the high-energy ones on top"),
    ),
    "happier": Words(
        train=("happier", "play something happier", "more cheerful", "less sad", "more positive", "cheer it up",
               "order them happiest to saddest", "put the happy ones first", "sunnier",
               "brighter", "more uplifting", "less gloomy", "sort by happiness",
               "happier songs first"),
        held=("more feel-good", "less depressing", "put the joyful ones at the top",
              "perkier", "lighten it up"),
    ),
    "sadder": Words(
        train=("sadder", "more melancholic", "darker", "less happy", "moodier",
               "put the sad ones first", "more emotional", "gloomier", "sort by sadness",
               "order them saddest first", "darker and moodier"),
        held=("more heartbreaking", "bleaker", "more somber", "put the tearjerkers on top"),
    ),
    "more_acoustic": Words(
        train=("more acoustic", "less electronic", "acoustic ones first", "fewer synths",
               "more unplugged", "sort by acousticness", "put the acoustic tracks on top"),
        held=("more organic sounding", "less synthy", "guitar-and-voice ones first"),
    ),
    "more_danceable": Words(
        train=("more danceable", "groovier", "more dancey", "put the danceable ones first",
               "sort by danceability", "funkier", "more groovy"),
        held=("more boogie", "put the ones I can dance to on top", "bouncier"),
    ),
    "less_popular": Words(
        train=("less popular", "more obscure", "less mainstream", "deeper cuts",
               "could you rank the least known songs first", "less famous",
               "put the obscure ones first", "sort by least popular", "more underground",
               "fewer hits", "least known first", "put the hidden gems on top"),
        held=("rarer ones first", "less well-known stuff up top", "the lesser-known ones first",
              "more niche"),
    ),
    "more_popular": Words(
        train=("more popular", "more mainstream", "sort by popularity", "bigger hits",
               "put the hits first", "better-known ones first", "more famous",
               "most popular first", "less obscure"),
        held=("the chart toppers first", "more well known", "put the famous ones on top"),
    ),
}
RERANK_GENRE = Words(
    train=("put the {G} first", "put the {G} ones at the top", "{G} first", "sort by {G}",
           "more {G}", "bring the {G} tracks up", "{G} ones on top please",
           "move the {G} songs to the top", "rank the {G} higher"),
    held=("float the {G} to the top", "bump the {G} up", "push {G} up the list"),
)
RERANK_DECADE = Words(
    train=("{D} first", "put the {D} stuff on top", "sort by {D}", "{D} songs first",
           "move the {D} tracks up"),
    held=("bump the {D} ones up", "float the {D} to the top"),
)

# ---------------------------------------------------------------- recommend

MOODS = Words(
    train=("calm", "chill", "relaxing", "happy", "sad", "energetic", "upbeat", "mellow",
           "romantic", "dreamy", "uplifting", "moody", "peaceful", "intense", "groovy",
           "cozy", "nostalgic", "dark", "soothing", "cheerful", "melancholic", "hype",
           "calm but not sleepy", "upbeat but not too loud", "sad but hopeful", "feel good"),
    held=("wistful", "breezy", "brooding", "euphoric", "bittersweet", "laid-back",
          "gentle", "angsty", "chill but not boring"),
)
ACTIVITIES = Words(
    train=("studying", "the gym", "a workout", "a party", "sleep", "focus", "a road trip",
           "cooking", "dinner", "running", "a rainy day", "driving", "the morning", "work"),
    held=("a long flight", "cleaning my flat", "yoga", "a barbecue", "late night coding"),
)
REC_MOOD = Words(
    train=("something {M}", "play something {M}", "{M} music please", "recommend me something {M}",
           "I want {M} songs", "give me some {M} tracks", "I'm in the mood for something {M}",
           "{M}", "can you find me {M} music", "any {M} songs?", "I need {M} tunes",
           "music for {A}", "songs for {A}", "something {M} for {A}", "I need music for {A}",
           "{M} songs for {A}", "play some {M} stuff", "I'm feeling {M}", "got anything {M}?",
           "new list, something {M}", "show me {M} tracks", "gimme {M} vibes",
           "I'd like something {M}", "sumthing {M} pls", "put on something {M}",
           "recomend {M} songs", "what do you have for {A}?", "a playlist for {A}",
           "{M} vibes", "party vibes", "{M} vibes please", "some {M} tunes for {A}"),
    held=("hook me up with some {M} jams", "queue up {M} tunes", "spin something {M}",
          "any recs for {A}?", "soundtrack for {A}", "I could use some {M} music",
          "what should I play for {A}?", "fix me up something {M}"),
)
REC_GENRE = Words(
    train=("play some {G}", "{G}", "{G} please", "I want {G}", "some {G} for {A}",
           "{G} for {A}", "give me {G} songs", "{M} {G}", "recommend some {G}",
           "I'd like some {G}", "something {M}, {G} only", "only {G}", "just {G} please",
           "I love {G}", "I'm really into {G}", "I like {G}, play some"),
    held=("I'm craving {G}", "put on some {G} tunes", "hit me with {G}", "nothing but {G}"),
)
REC_EXCLUDE = Words(
    train=("no {G}", "something {M}, no {G}", "anything but {G}", "no {G} please",
           "{M} but no {G}", "without {G}", "I don't want any {G}", "{M} music without {G}",
           "{G2} but no {G}", "no {G} or {G3} please", "{M} songs, no {G}", "I hate {G}",
           "nothing {G}", "skip the {G}, something {M}", "{G2} without {G}",
           "leave the {G} out", "{M} songs, but keep {G} out of it",
           "not {G}, something {M}", "{M} stuff, avoid {G}"),
    held=("keep the {G} out", "{M} please, zero {G}", "anything except {G}",
          "{M} but leave out {G}", "spare me the {G}"),
)
REC_DECADE = Words(
    train=("{D} {G}", "something from the {D}", "{D} music", "{M} songs from the {D}",
           "{D}", "give me some {D} hits", "songs from {Y}", "{G} from the {D}",
           "play some {D} stuff"),
    held=("take me back to the {D}", "throwback {D} tunes", "{D} bangers please"),
)
REC_COUNT = Words(
    train=("give me {N} songs", "just {N} tracks", "top {N}", "{N} {M} songs",
           "{N} {M} tracks with no {G}", "{N} {G} songs", "a dozen {M} songs",
           "{N} songs from the {D}", "{N} calmer songs", "give me {N} happier tracks",
           "{N} more upbeat songs please"),
    held=("{N} tunes that are {M}", "I only want {N} {G} tracks"),
)
REC_POPULARITY = {
    "low": Words(
        train=("something obscure", "underground {G}", "hidden gems from the {D}",
               "nothing too mainstream", "lesser-known {M} songs", "deep cuts please",
               "obscure {G}", "{M} songs nobody knows", "niche {G} stuff",
               "not too popular {M} music", "undiscovered {G}", "less famous {M} tracks"),
        held=("{G} that flies under the radar", "underrated {M} songs", "indie-ish unknowns",
              "stuff nobody has heard of"),
    ),
    "high": Words(
        train=("popular hits", "well-known songs", "famous {G} songs", "{D} chart toppers",
               "mainstream {M} music", "the biggest {G} hits", "popular {M} songs",
               "crowd pleasers", "hits from the {D}", "top 40 {G}"),
        held=("{G} anthems everybody knows", "massive {M} hits", "the classics of {G}"),
    ),
}
REC_TEMPO = Words(
    train=("around {B} bpm", "songs over {B} bpm", "under {B} bpm please",
           "between {B} and {B2} bpm", "something at {B} beats per minute",
           "{M} songs around {B} bpm", "faster than {B} bpm"),
    held=("tracks below {B} bpm", "roughly {B} bpm {G}"),
)
REC_SIMILAR = Words(
    train=("more like {T}", "songs similar to {T}", "something like {T}", "more like {T} please",
           "play stuff like {T}", "find me songs like {T}", "give me more like {T}",
           "similar to {T}", "anything like {T}?", "more songs like {T}",
           "more like {T} but no {G}", "tracks in the style of {T}", "same feel as {T}",
           "something that sounds like {T}"),
    held=("more in the vein of {T}", "same vibe as {T}", "stuff that sounds like {T}"),
)
REC_NAMED = Words(
    train=("play {NAME}", "play {NAME} by {ARTIST}", "put on {NAME} by {ARTIST}",
           "can you play {NAME}", "I want to hear {NAME} by {ARTIST}",
           "more like {NAME} by {ARTIST}", "songs like {NAME} by {ARTIST}",
           "something like {NAME}", "more like {NAME}", "find {NAME} by {ARTIST}"),
    held=("queue {NAME} by {ARTIST}", "stuff like {NAME} from {ARTIST}",
          "throw on {NAME} by {ARTIST}"),
)
EXPLAIN_GENERAL = Words(  # a "why" with no track to explain: the reader asks which one
    train=("why do you keep recommending {G}?", "why is there so much {G}?", "why all the {G}?",
           "why so many {G} songs?", "why do I keep getting {G}?"),
    held=("how come everything is {G}?", "why is it all {G} lately?"),
)
EXPLAIN_NAMED = Words(
    train=("why is {NAME} here?", "why did you pick {NAME}?", "why {NAME}?",
           "explain {NAME}", "why is {NAME} in my list?", "tell me about {NAME}"),
    held=("what is {NAME} doing in my list?", "how come {NAME} made it?"),
)
FEEDBACK_NAMED = Words(
    train=("I love {NAME}", "I hate {NAME}", "skip {NAME}", "save {NAME}",
           "{NAME} is great", "{NAME} is awful"),
    held=("{NAME} slaps", "{NAME} is mid"),
)
TITLES = Words(
    train=("Blinding Lights", "Levitating", "Bohemian Rhapsody", "Mr. Brightside",
           "Shape of You", "Bad Guy", "Dance Monkey", "Uptown Funk", "Rolling in the Deep",
           "Hey Ya!", "Smells Like Teen Spirit", "Africa", "Take On Me", "Yellow",
           "Wonderwall", "Halo", "Someone Like You", "Hotel California", "Billie Jean",
           "Sweet Child O' Mine", "Starboy", "Riptide", "Heat Waves", "Stay",
           "Watermelon Sugar", "Old Town Road", "Sunflower", "Roxanne", "Creep", "Believer"),
    held=("Toxic", "Kiss Me More", "Peaches", "Circles", "Golden Hour", "Electric Feel",
          "Dreams", "As It Was", "Flowers", "Shallow", "Viva la Vida", "Juice"),
)
ARTISTS = Words(
    train=("The Weeknd", "Dua Lipa", "Queen", "The Killers", "Ed Sheeran", "Billie Eilish",
           "Tones and I", "Bruno Mars", "Adele", "OutKast", "Nirvana", "Toto", "a-ha",
           "Coldplay", "Oasis", "Beyoncé", "Eagles", "Michael Jackson", "Post Malone",
           "Harry Styles", "Lil Nas X", "Vance Joy", "Glass Animals", "The Police"),
    held=("Britney Spears", "Doja Cat", "Justin Bieber", "Mac Miller", "Kacey Musgraves",
          "MGMT", "Fleetwood Mac", "Miley Cyrus", "Lady Gaga", "Radiohead"),
)

# ---------------------------------------------------------------- personality

TRAIT_WORDS = {
    ("extraversion", "high"): Words(("outgoing", "extroverted", "sociable", "talkative",
                                     "a people person", "chatty"), ("gregarious", "bubbly")),
    ("extraversion", "low"): Words(("introverted", "shy", "reserved", "quiet", "a loner"),
                                   ("a homebody", "private")),
    ("openness", "high"): Words(("curious", "creative", "imaginative", "adventurous",
                                 "open-minded"), ("artistic", "inventive")),
    ("openness", "low"): Words(("traditional", "conventional", "practical"),
                               ("set in my ways",)),
    ("conscientiousness", "high"): Words(("organised", "disciplined", "tidy", "hardworking",
                                          "reliable"), ("punctual", "meticulous")),
    ("conscientiousness", "low"): Words(("disorganised", "messy", "lazy", "chaotic"),
                                        ("scatterbrained", "forgetful")),
    ("agreeableness", "high"): Words(("easygoing", "kind", "friendly", "warm", "helpful"),
                                     ("compassionate", "considerate")),
    ("agreeableness", "low"): Words(("competitive", "stubborn", "critical", "blunt"),
                                    ("grumpy", "argumentative")),
    ("neuroticism", "high"): Words(("anxious", "nervous", "stressed", "a worrier", "tense"),
                                   ("insecure", "highly strung")),
    ("neuroticism", "low"): Words(("calm", "relaxed", "stable", "level-headed"),
                                  ("unflappable", "resilient")),
}
TRAIT_FRAMES = Words(
    train=("I'm {DEG}{W}", "I am {DEG}{W}", "people say I'm {DEG}{W}",
           "I'd say I'm {DEG}{W}", "I consider myself {DEG}{W}", "honestly I'm {DEG}{W}",
           "im {DEG}{W}", "my friends say I'm {DEG}{W}", "I tend to be {DEG}{W}",
           "most people find me {DEG}{W}", "I'm generally {DEG}{W}",
           "I'm {DEG}{W} and {DEG2}{W2}"),
    held=("I'd describe myself as {DEG}{W}", "as a person I'm {DEG}{W}",
          "people would call me {DEG}{W}"),
)
DEGREES = Words(("", "very ", "a bit ", "quite ", "really ", "kind of ", "extremely ",
                 "somewhat "), ("pretty ", "super ", "slightly "))
TRAIT_SCORES = Words(
    train=("set my {TRAIT} to {S}", "my {TRAIT} is {S}", "{TRAIT} {S}",
           "set {TRAIT} to {S}", "my {TRAIT} should be {S}", "change my {TRAIT} to {S}"),
    held=("put my {TRAIT} at {S}", "update {TRAIT} to {S}"),
)
TRAIT_NAMES = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
PERSONALITY_SHOW = Words(
    train=("show my personality", "what's my personality profile?", "what is my profile",
           "show me my big five", "what do you know about my personality?",
           "display my traits", "my personality?", "what are my traits"),
    held=("how do you see my personality?", "pull up my personality scores"),
)

# ---------------------------------------------------------------- chat and unclear

CHAT = Words(
    train=("hi", "hello", "howdy", "sup", "hey there", "good morning", "thanks!", "thank you so much",
           "cheers", "bye", "see you later", "goodbye", "what can you do?", "help",
           "how does this work?", "who are you?", "tell me about yourself", "ok", "okay",
           "cool", "sounds good", "that's great, thanks", "thx", "yo", "hiya",
           "what are you?", "how do I use this?", "good night", "nice, thanks",
           "awesome thank you", "sure", "alright", "great, ty", "hey tunemate", "hello!!",
           "morning!", "what commands are there?", "menu", "thanks a lot", "perfect, thanks",
           "you're great", "good job", "how are you?", "nice to meet you"),
    held=("ta", "much appreciated", "catch you later", "what's up",
          "what are you able to do?", "later!", "gotcha", "appreciate it",
          "how do I talk to you?"),
)
UNCLEAR = Words(
    train=("asdfgh", "qwerty", "hmm", "?!?!", "why not", "idk", "whatever", "the thing",
           "blue", "maybe", "what about it", "hmm not sure", "do the thing", "lkjlkj",
           "banana", "...", "huh", "eh", "i dunno", "it", "that", "what", "stuff",
           "the other one", "zzz", "no idea", "meh", "random words here", "potato",
           "lol", "hmm that one maybe", "uhh", "so", "anyway", "k", "the", "number",
           "ajsdhkajsd", "why not though", "what if", "not sure about that"),
    held=("erm", "dunno", "bleh", "xyz", "purple monkey dishwasher", "uhm what",
          "whatever works I guess", "hmmmmm", "nah idk", "pfff"),
)

# ---------------------------------------------------------------- shared slot vocab

GENRES = Words(
    train=("rock", "pop", "rap", "hip hop", "jazz", "r&b", "edm", "latin", "country",
           "metal", "folk", "soul", "indie", "classical", "electronic", "k-pop", "reggae",
           "punk", "blues"),
    held=("hip-hop", "funk", "house", "techno", "disco", "trap"),
)
DECADES = Words(
    train=("80s", "90s", "70s", "2000s", "the eighties", "60s", "2010s", "nineties",
           "'90s", "80's"),
    held=("seventies", "the sixties", "'80s", "1990s"),
)
YEARS = Words(("1995", "1987", "2003", "1979", "2012"), ("1968", "2016"))
