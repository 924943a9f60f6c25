"""Word lists for the first, explainable conduct detectors (insults, anger, threats, contempt).

Each term maps to a score: how sure we are that, aimed at a person or body, it is abuse rather than
robust criticism. A trailing ``*`` lets a term take suffixes ("idiot*" matches "idiots", "idiotic").
Words that are only abusive about people ("clown") are separate from words that are only contemptuous
about institutions ("shambles"), because "the new bin rota is a shambles" is fair comment on a
decision while "Cllr Cole is a clown" is not.
"""

from __future__ import annotations

# Insults and name-calling aimed at a person.
INSULTS: dict[str, float] = {
    **dict.fromkeys([
        "idiot*", "moron*", "imbecile*", "cretin*", "halfwit*", "half-wit*", "dimwit*", "nitwit*", "numpty",
        "numpties", "muppet*", "plonker*", "pillock*", "prat", "prats", "buffoon*", "clown*", "dunce*",
        "fool", "fools", "foolish old", "spineless", "gutless", "brainless", "brain dead", "brain-dead",
        "thick as", "pea brain*", "scum*", "scumbag*", "vermin", "lowlife", "low-life", "parasite*",
        "leech*", "sleazebag*", "slimeball*", "snake*", "rat", "rats", "weasel*", "worm", "toad",
        "pig", "pigs", "swine", "dog", "wanker*", "twat*", "tosser*", "dickhead*", "dick", "prick*",
        "arsehole*", "asshole*", "bastard*", "shithead*", "bellend*", "knobhead*", "knob", "cock",
        "bitch*", "cow", "old bag", "harpy", "witch", "git", "gits", "sad little man", "sad little woman",
        "sad little people", "sad little", "little man", "little woman", "old bat", "old goat", "old fool",
        "silly old", "daft old", "thick as mince", "thick as two short planks", "lazy cow", "lazy sod", "lazy git", "pathetic little", "nasty little", "nasty piece of work",
        "waste of space", "waste of oxygen", "waste of skin", "hypocrite*", "coward*", "liar", "liars",
        "crook", "crooks", "fraudster*", "loser*", "nutter*", "nutjob*", "lunatic*", "psycho*",
        "troll", "jobsworth*", "bully", "little hitler", "dinosaur*", "wannabe",
        "crawl back under", "get back under", "shut your mouth", "shut up", "piss off", "sod off",
        "get lost", "go away and die", "drop dead", "kill yourself", "fuck off", "fuck you", "screw you",
        "stupid", "dumb", "dense", "clueless", "useless", "pathetic", "incompetent", "inept", "spineless",
        "contemptible", "despicable", "disgusting", "vile", "odious", "repulsive", "deluded", "delusional",
        "unhinged", "arrogant", "smug", "pompous", "jumped-up", "self-serving", "power-mad",
        "power hungry", "power-hungry", "puppet*", "lapdog*", "yes-man", "yes-men", "sheep", "dinosaur",
        "not fit to", "unfit to hold", "unfit for office", "a disgrace", "an embarrassment", "a joke",
        "laughing stock", "laughing-stock", "bunch of", "shower of", "bunch of clowns", "find a hobby",
        "get a life", "get a job", "some of us have actual jobs", "some of us work", "busybody",
        "busybodies", "moaner*", "whinger*", "curtain twitcher*", "nimby", "nimbys", "nimbies", "karen",
        "melt", "melts", "two-faced", "bitter old", "glorified secretary", "glorified typist", "glorified tea lady",
        "brains of a goldfish", "brain of a goldfish", "sandwiches short of a picnic", "few sandwiches short",
        "nobody's home", "not the sharpest tool", "not the brightest", "dimmest", "dim-witted", "old trout",
        "vindictive old", "insufferable", "worthless", "shouting at clouds", "shout at clouds", "some of us have lives",
        "educate yourself", "embarrassing yourself", "try to keep up", "keep up, dear", "a liability",
        "sad, bitter", "bitter woman", "bitter man", "needs a hobby", "need a hobby", "get a hobby", "pig-headed",
        "pigheaded", "the dregs", "nobody cares about your", "no one cares about your", "do your job for once",
        "do your job for a change", "stick to the photocopying", "stick to photocopying", "stick to the typing",
        "stick to moaning", "ask someone competent", "stupidity", "walking disaster", "silly little girl",
        "silly little boy", "silly girl", "playing at politics", "all the charm of", "the personality of a", "shit",
        "nice work if you can get it", "get a grip", "absolute helmet", "get someone competent",
        "nobody asked for your opinion", "no one asked for your opinion", "nobody asked you", "embarrass yourself",
        "calm down love", "calm down, love", "calm down dear", "calm down, dear", "classless", "crank", "windbag*",
        "like a bad smell", "ego the size of", "one-person circus", "one-woman circus", "one-man circus",
        "thin-skinned", "overpaid and underworked", "overpaid, underworked", "nodding dogs", "clueless outfit",
        "needs to go back to school", "need to go back to school", "like your brain cells", "two brain cells", "one-woman plague", "one-man plague", "bone idle", "lazy hack",
    ], 0.9),
}
# Words that are insulting only when stacked or predicated ("X is useless"), not in passing.
WEAK: set[str] = {"useless", "pathetic", "incompetent", "inept", "clueless", "arrogant", "smug", "pompous",
                  "deluded", "delusional", "a joke", "an embarrassment", "a disgrace", "self-serving", "dinosaur",
                  "sheep", "bunch of", "shower of", "dog", "cow", "rat", "rats", "snake", "snakes", "worm",
                  "toad", "pig", "pigs", "knob", "cock", "dick", "witch", "fool", "fools", "troll", "bully",
                  "shut up", "get lost", "dumb", "dense", "karen", "git", "loser", "losers", "sad little", "melt",
                  "melts", "a liability", "insufferable", "worthless", "not the brightest", "shit"}

# Contempt for an institution or decision; not an insult of a person on its own.
CONTEMPT: dict[str, float] = {
    **dict.fromkeys([
        "shambles", "shambolic", "a joke", "a farce", "farcical", "laughing stock", "laughing-stock",
        "circus", "clown show", "clowns", "clown car", "useless lot", "useless bunch", "useless shower",
        "bunch of clowns", "bunch of idiots", "bunch of amateurs", "amateur hour", "amateurs", "idiots",
        "morons", "muppets", "numpties", "incompetent lot", "incompetents", "a disgrace", "disgraceful lot",
        "waste of space", "waste of money", "waste of our council tax", "waste of council tax",
        "waste of time", "pointless", "useless", "pathetic", "contemptible", "rubbish council", "rotten",
        "a racket", "mickey mouse", "tinpot", "tin-pot", "banana republic", "cabal", "mafia", "clique",
        "cronies", "jobsworths", "dinosaurs", "out of touch", "couldn't organise", "could not organise",
        "piss-up in a brewery", "never do anything", "never does anything", "do nothing", "do-nothing",
        "good for nothing", "good-for-nothing", "not fit for purpose", "unfit for purpose", "should be ashamed",
        "ashamed of themselves", "absolute clowns", "total clowns", "bunch of muppets", "pack of",
        "talking shop", "as much use as a", "waste of everybody's time", "waste of everyone's time",
        "waste of all our time", "small-minded nonsense", "couldn't run a bath", "could not run a bath",
        "like a row of stuffed", "shit show", "shitshow", "pig-headed", "pigheaded", "the pits", "a parody of itself",
        "drivel",
    ], 0.85),
}

# Ridicule by a stock construction rather than a word: "all the vision of a mole", "the legal knowledge of a golden
# retriever", "Sherlock Holmes he is not", "wouldn't know a conservation area if it bit him". Each shape is mockery
# whatever fills it, so they are patterns, scored as insults (aimed at a person or at the council). Where a pattern
# names someone famous for comparison, it has a ``tail`` group: the famous name is not whom it mocks.
RIDICULE = [
    r"\ball\s+the\s+(?:vision|urgency|backbone|imagination|charm|personality|charisma|warmth|drive|energy|spine|"
    r"common\s+sense|tact|grace|wit|get-up-and-go|foresight|speed|pace)\s+of\s+an?\s+\w+",
    r"\bthe\s+(?:[\w-]+\s+)?(?:knowledge|brains?|sense|intelligence|judgement|attention\s+span|memory|manners|charisma|tact|"
    r"(?:people|social|organisational)\s+skills)\s+of\s+an?\s+(?:golden\s+retriever|goldfish|gnat|potato|(?:house\s+)?brick|"
    r"plank|toddler|lettuce|houseplant|tortoise|sloth|snail|mayfly|doorknob|cabbage|turnip|dodo|amoeba|teaspoon|"
    r"traffic\s+cone|garden\s+gnome|wasp|hamster|moth|jellyfish|pigeon|lemming|donkey|slug)\b",
    r"\bmight\s+as\s+well\s+(?:have\s+)?(?:talk(?:ed)?|shout(?:ed)?|speak|spoken|writ(?:e|ten)|wrote|complain(?:ed)?)\s+"
    r"(?:to|into|at)\s+an?\s+(?:brick\s+wall|wall|sock|void|lamp-?post|hole|brick|bin|cushion|tree|plank|hedge)\b",
    r"\bwouldn'?t\s+(?:know|recogni[sz]e|spot)\s+(?:an?\s+|the\s+)?[\w\s'’-]{1,30}?\s+if\s+(?:it|one|she|he|they|you)\s+(?:\w+\s+){0,2}?"
    r"(?:bit|hit|smacked|slapped|kicked|ran\s+over|tied|fell|landed|sat|stood|walked)\b",
    r"\b(?:Sherlock(?:\s+Holmes)?|Einstein|Churchill|Picasso|Shakespeare|Poirot|Columbo|Mastermind|"
    r"an?\s+(?:genius|rocket\s+scientist|brain\s+surgeon|mastermind))\s+(?P<tail>(?:he|she|they)\s+(?:is|are)\s+not)\b",
    r"\bcouldn'?t\s+\w+\s+(?:(?:his|her|their|its)\s+way\s+)?(?:out\s+of\s+)?an?\s+(?:wet\s+)?paper\s+bag\b",
    r"\bwhat\s+(?:exactly\s+)?(?:does|do)\s+(?:[\w'’-]+\s+){1,3}do\s+all\s+day\b",
    r"\b(?:our|the|their|your|this)\s+so[- ]called\s+(?:[\w-]+\s+){0,2}?(?:officer|clerk|expert|councillors?|chair|leader|"
    r"journalist|reporter|professional|manager|team)s?\b",
    r"\bcouldn'?t\s+(?:organise|run|park|manage|plan|fix|boil|chair|pour|sell|add\s+up|count)\s+an?\s+(?:bike|egg|kettle|bus|"
    r"raffle|cup\s+of\s+tea|sandwich|tea\s*party|whelk\s+stall|bouncy\s+castle|jumble\s+sale|fete|queue|picnic|party|bath)\b",
    r"\bcouldn'?t\s+find\s+(?:its|his|her|their)\s+own\s+(?:backside|arse|bum)\b",
    r"\bwhere\s+(?:good\s+)?(?:ideas|hope|common\s+sense|democracy)\s+go(?:es)?\s+to\s+die\b",
    r"\b(?:is|was|'s|’s)\s+a\s+walking\s+(?:sedative|complaint|cliché|cliche|advert|headache|liability|joke|nightmare|"
    r"car\s+crash|embarrassment|mistake|clip-art\s+\w+|health\s+and\s+safety\s+\w+)\b",
    r"\bthe\s+(?:rudest|grumpiest|laziest|stupidest|dumbest|thickest|most\s+(?:irritating|annoying|useless|arrogant|"
    r"pompous|incompetent|obnoxious|idiotic|pointless|clueless|unpleasant))\s+(?:man|woman|person|people|bloke|"
    r"councillors?|clerk|officer|thing|decision|council)\b",
    r"\beven\s+a\s+stopped\s+clock\s+is\s+right\b",
    r"\b(?:s?he|they|you)\s+had\s+one\s+job\b",
    r"\bcouldn'?t\s+\w+(?:\s+[\w'’-]+){0,4}?\s+if\s+you\s+gave\s+(?:him|her|them)\b",
    r"\b(?:haven'?t|have\s+not|hasn'?t)\s+got\s+(?:any\s+)?crayons\b|\bin\s+words\s+of\s+one\s+syllable\b",
]

# Anger: outbursts in the author's own voice. Alone they are not abuse; with a target they add weight.
ANGER: set[str] = {"fuming", "furious", "livid", "seething", "sick of", "sick and tired", "fed up with",
                   "had enough of", "how dare", "disgusted", "outraged", "raging", "angry", "incandescent",
                   "beyond a joke", "fucking", "bloody", "effing", "sodding", "damn", "damned"}

# Threats: flagged whatever the target, always high.
THREATS = [
    r"\b(?:i'?ll|i will|we'?ll|we will|gonna|going to)\s+(?:make\s+(?:you|him|her|them)\s+pay|sort\s+(?:you|him|her|them)\s+out|"
    r"get\s+(?:you|him|her|them)|come\s+round|come\s+for\s+(?:you|him|her|them)|burn|smash|kick|punch|hurt|finish\s+(?:you|him|her|them)|"
    r"ruin\s+(?:you|him|her|them)|destroy\s+(?:you|him|her|them))\b",
    r"\bwatch\s+(?:your|his|her|their)\s+back\b(?!\s+(?:with|around|near)\b)",  # "watch your back with her": a warning
    r"\b(?:to|better)\s+watch\s+(?:himself|herself|themselves)\b",
    r"\bknow\s+where\s+(?:you|he|she|they)\s+lives?\b",
    r"\b(?:you'?ll|he'?ll|she'?ll|they'?ll|you will|he will|she will|they will)\s+(?:regret|pay\s+for|be\s+sorry)\b",
    r"\b(?:deserves?|needs?)\s+(?:a\s+)?(?:good\s+)?(?:slap|kicking|hiding|beating|punch)\b",
    r"\bshould\s+be\s+(?:shot|hanged|hung|strung\s+up|lynched|locked\s+up)\b",
]

# Stirring others up against someone.
INCITEMENT = [
    r"\b(?:everyone|everybody|all of you|people)\s+(?:should\s+)?(?:email|e-mail|message|ring|call|phone|tell|ask|confront|give)\s+(?:her|him|them|the\s+clerk|"
    r"(?!(?:why|what|how|where|when|who|whether|if|about|for|to|and|or|in|on|at|me|us|you|it|this|that)\b)[A-Z][a-z]+)\b",
    r"\b(?:let'?s|lets)\s+(?:all\s+)?(?:flood|bombard|spam|hound|shame|name\s+and\s+shame|go\s+after|make\s+life\s+hell\s+for)\b",
    r"\bask\s+(?:her|him|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:where|why|how|what)\b.*(?:money|cash|funds|went)",
    r"\b(?:give|make)\s+(?:her|him|them)\s+(?:hell|a\s+hard\s+time)\b",
    r"\bname\s+and\s+shame\b",
    r"\b(?:sack|fire|get\s+rid\s+of)\s+(?:her|him|the\s+clerk|the\s+groundsm[ae]n)\b",
    r"\btell\s+(?:her|him)\s+what\s+(?:you|they|we)\s+think\b",
    r"\blet'?s\s+(?:all\s+)?make\s+\S+\s+life\s+(?:a\s+)?(?:hell|misery)\b",
    r"\b(?:grill|hound|hassle|bombard)\s+(?:her|him|them)\s+(?:til+|until)\s+(?:s?he|they)\s+(?:cr(?:y|ies)|cracks?|breaks?|"
    r"quits?|resigns?|gives?\s+up)\b",
    r"\bturn\s+up\s+at\s+(?:the|her|his)\s+(?:office|house|door|home)\b[^.!?]{0,30}\b(?:and\s+)?demand\b",
]

# Harassment: persistent targeting or intimidation of an individual.
HARASSMENT = [
    r"\b(?:i'?ll|i will|i'?m going to)\s+keep\s+(?:posting|messaging|emailing|e-mailing|calling|turning up)\b.*\buntil\b",
    r"\b(?:i'?ll|i will)\s+(?:be\s+)?(?:turn(?:ing)?\s+up|wait(?:ing)?)\s+(?:at|outside)\s+(?:her|his|their|your)\s+(?:house|home|door|work)\b",
    r"\bknow\s+where\s+(?:you|he|she|they)\s+lives?\b",
    r"\b(?:you|he|she|they)\s+(?:can'?t|cannot)\s+hide\b",
    r"\b(?:i'?ve|i have)\s+got\s+(?:my\s+)?eyes?\s+on\s+(?:you|him|her)\b",
    r"\bmake\s+(?:your|his|her|their)\s+life\s+(?:a\s+)?(?:hell|misery)\b",
    r"\b(?:resign|quit)\s+or\s+(?:else|i'?ll|we'?ll)\b",
    r"\b(?:sexy|fit|hot)\s+(?:clerk|councillor|cllr)\b|\bsend\s+(?:me\s+)?nudes\b",
    # a campaign against one person until they give up
    r"\bmak(?:e|ing)\s+\S+\s+life\s+(?:a\s+)?(?:hell|misery)\s+until\b",
    r"\bevery\s+(?:single\s+)?day\s+until\s+(?:s?he|they)\s+(?:quits?|resigns?|goes|leaves|cracks?|gives\s+up)\b",
]

# Marks of someone else's words being condemned or reported.
CONDEMN = ["is not acceptable", "isn't acceptable", "unacceptable", "was wrong to", "should not have",
           "shouldn't have", "i condemn", "we condemn", "no place for", "reported it", "reported this",
           "has been reported", "not ok", "not okay", "out of order"]

NEGATORS = {"not", "isn't", "isnt", "aren't", "arent", "wasn't", "wasnt", "never", "no", "nor", "hardly",
            "n't", "neither"}
