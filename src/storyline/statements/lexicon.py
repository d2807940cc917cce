"""Words of attribution: reporting cues, the prepositions some take, titles and pronouns.

Cues are matched on word forms (the pipeline runs without a lemmatizer): :func:`forms` inflects
a base verb (say → says, said, saying), with the irregular forms listed.
"""

from __future__ import annotations

# Verbs that introduce what someone said, wrote, thought or wanted (PolNeAR annotates all of
# these as attributions: speech, writing, belief, intention, evidence).
SPEECH = """say tell state write add warn confirm deny announce claim note urge insist argue explain
report ask suggest describe tweet declare acknowledge accuse recall respond reply propose conclude
reveal predict vow pledge promise assert allege emphasize stress maintain contend complain remark
comment mention observe demand inform testify reiterate repeat admit concede caution estimate
speculate post quip joke boast charge counter retort answer shout write cite call criticize
praise defend dismiss denounce question blame insist indicate signal hint threaten
order recommend advise predict learn hear read""".split()
CUE_VERBS = frozenset(SPEECH)

# Word forms that PolNeAR's annotators mark as a cue at least 40% of the times they occur
# outside quotations (at least 4 times, used as a verb by the parser), counted on the train
# part: beliefs, intentions, evaluations and evidence as well as speech.
POLNEAR_FORMS = frozenset("""
accused accuses accusing acknowledge acknowledged acknowledging acquiesced added adding addressed
adds admit admits admitted admitting advocated agree agreed agrees aiming alleges alleging alluding
angered announce announced announces announcing answered apologized appeared appears applauded
approved argue argued argues arguing articulated ask asked asking asks assailed asserted asserting
assured attacked attacking attempted attributed avoided backed backing balked believe believes
believing bemoaned blame blamed blames blaming blasted blasting blocked boasted boasts brushed
called calling calls cautioned celebrated challenged championed chanted chanting charged cheer cite
cited cites citing claimed claiming commented complain complained conceded conclude concluded
concludes condemned condemning confirmed congratulated considered considering considers contends
continued convince convinced credited criticize criticized criticizing debated decided deciding
declare declared declares declaring declined decried deemed defended defending delivering demanded
demanding denied denounced denouncing derided describe described describes describing detailing
determining devoted disagree disavow disclosed discuss discussed discussing dislike dismissed
dismisses dismissing distanced documented dubbed echoed echoing emailed embraced emphasize
emphasized emphasizing encourage encouraged endorse endorsed endorses endorsing estimated expect
expected expecting explain explained explaining explains express expressed expressing favored
fearing feel finds focuses found guess hailed highlight highlighted highlighting hints hope hoped
hopes hoping identified ignored imagined implied implying indicate indicated indicates informed
insist insisted insisting insists interjected introducing invoked issued joked justify knocked known
knows labeled laid lambasted lamented lashed laying lays learned likened listed looking measured
mention mentioned mentioning mentions mocked mocking mused named naming negotiated nominated note
noted notes noticed noting offer offered offering oppose opposed opposes opted ordered outlined
outlining passed persuade persuaded pivoted pleaded pledging pointed pointing portray portrayed
portraying posted praised praises praising predict predicted predicting prefer preferred prefers
presented pressed pressing proclaimed projected promised promising promote proposed proposing pushed
pushing questioned questioning quoted railed rattled reacted reads realized rebuffed rebuked rebut
recall recalled recalling recognize recognized recognizing recommended recounted referenced
referencing referred referring refers refuse refused refuses refusing regarded reiterated rejected
rejecting remarked remarking remember remembered remembers reminded reminding repeat repeating
replied reported requested respond responded responds restricting retweeted reveal revealed reveals
ruled said say saying says seeking seeks seem seemed seems seen sees shared shouted show showed
shown shows sided signaled signed singled slammed slamming slams sought sounded sounds sparred
speculated spoke stated stating stressed suggest suggested suggesting suggests supported supporting
supports suspected talked talking tell telling tells testified thanked thanking think thinks
threaten threatened threatening titled told touted touting tweeted tweeting unveiled upset urged
urging viewed voiced voted vowed vowing vows wanted wants warn warned warning weighed welcomed
wonder wondered wondering worries worry writes writing wrote yelled
""".split())

IRREGULAR = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "write": ("writes", "wrote", "writing", "written"),
    "think": ("thinks", "thought", "thinking"),
    "feel": ("feels", "felt", "feeling"),
    "know": ("knows", "knew", "knowing", "known"),
    "find": ("finds", "found", "finding"),
    "show": ("shows", "showed", "showing", "shown"),
    "hear": ("hears", "heard", "hearing"),
    "read": ("reads", "read", "reading"),
    "learn": ("learns", "learned", "learnt", "learning"),
    "seek": ("seeks", "sought", "seeking"),
    "shout": ("shouts", "shouted", "shouting"),
}

# Cue verbs whose content follows a preposition ("called for", "pointed to", "talked about").
PHRASAL = {
    "call": ("for", "on"), "point": ("to",), "talk": ("about",), "warn": ("of", "against", "about"),
    "ask": ("for", "about"), "push": ("for",), "argue": ("for", "against"), "complain": ("about",),
    "speak": ("about", "of"), "refer": ("to",), "press": ("for",), "accuse": ("of",), "blame": ("for",),
    "criticize": ("for",), "praise": ("for",),
}
# (word form, preposition) cues whose content is the preposition's object: verbs ("talked
# about", "railed against"), adjectives ("critical of") and nouns ("criticism of"). Derived from
# PolNeAR's train part by ``benchmarks/polnear_prep_cues.py`` (whose output this is): the pairs
# seen at least 4 times outside quotations where, at least half of the time, the first
# annotator's cue holds both words and that attribution's content overlaps the preposition's
# object (the counts: such times / all times).
PREP_CUES: dict[str, tuple[str, ...]] = {
    "accusations": ("of",),               # of 4/8
    "agree": ("on", "with"),              # on 2/4, with 4/8
    "agreed": ("on",),                    # on 3/5
    "allegations": ("of",),               # of 3/5
    "angry": ("about", "at"),             # about 3/4, at 3/4
    "argued": ("for",),                   # for 3/6
    "asked": ("for",),                    # for 7/13
    "asking": ("for",),                   # for 3/4
    "assured": ("of",),                   # of 4/7
    "attack": ("against",),               # against 2/4
    "balked": ("at",),                    # at 4/6
    "began": ("by",),                     # by 4/7
    "boasted": ("of",),                   # of 4/5
    "called": ("for",),                   # for 33/48
    "calling": ("for", "on"),             # for 13/18, on 9/14
    "calls": ("for", "on"),               # for 13/20, on 2/4
    "campaigning": ("against",),          # against 2/4
    "campaigns": ("against",),            # against 2/4
    "cautioned": ("against",),            # against 3/4
    "chants": ("of",),                    # of 4/6
    "comfortable": ("with",),             # with 3/4
    "commented": ("on",),                 # on 3/4
    "complained": ("about",),             # about 3/4
    "concern": ("about",),                # about 5/10
    "confident": ("in",),                 # in 4/4
    "counting": ("on",),                  # on 3/6
    "critical": ("of",),                  # of 9/13
    "criticism": ("on",),                 # on 3/5
    "decision": ("on",),                  # on 3/6
    "distanced": ("from",),               # from 5/5
    "embrace": ("of",),                   # of 4/6
    "fired": ("at",),                     # at 3/6
    "focuses": ("on",),                   # on 5/9
    "footage": ("of",),                   # of 4/6
    "full": ("of",),                      # of 2/4
    "going": ("after",),                  # after 2/4
    "hints": ("at",),                     # at 3/4
    "hoping": ("for",),                   # for 4/7
    "lashed": ("at",),                    # at 4/5
    "mention": ("of",),                   # of 8/15
    "message": ("about",),                # about 3/6
    "nervous": ("about",),                # about 3/5
    "opened": ("about",),                 # about 4/4
    "opinion": ("on",),                   # on 3/4
    "point": ("to",),                     # to 5/7
    "pointed": ("to",),                   # to 18/25
    "pointing": ("to",),                  # to 9/16
    "points": ("to",),                    # to 6/8
    "praise": ("for", "of"),              # for 4/4, of 2/4
    "pressed": ("about",),                # about 3/4
    "proponent": ("of",),                 # of 3/5
    "proposal": ("for",),                 # for 3/6
    "proud": ("of",),                     # of 4/8
    "pushed": ("for", "on"),              # for 5/8, on 2/4
    "pushing": ("for",),                  # for 4/5
    "questioned": ("about",),             # about 2/4
    "railed": ("against",),               # against 8/9
    "refer": ("to",),                     # to 2/4
    "references": ("to",),                # to 3/4
    "referred": ("to",),                  # to 12/20
    "referring": ("to",),                 # to 38/58
    "refers": ("to",),                    # to 4/6
    "regarded": ("as",),                  # as 4/6
    "rejection": ("of",),                 # of 4/8
    "responded": ("by", "with"),          # by 8/16, with 5/10
    "seems": ("like",),                   # like 2/4
    "seize": ("on",),                     # on 2/4
    "sided": ("with",),                   # with 4/7
    "skeptical": ("of",),                 # of 4/4
    "speak": ("about",),                  # about 7/9
    "speaking": ("about", "of"),          # about 3/5, of 3/4
    "split": ("on",),                     # on 3/6
    "spoke": ("about", "of"),             # about 16/17, of 6/7
    "spoken": ("about",),                 # about 4/7
    "stories": ("about",),                # about 3/6
    "supportive": ("of",),                # of 5/6
    "talked": ("about",),                 # about 20/26
    "talking": ("about",),                # about 32/44
    "talks": ("about",),                  # about 10/11
    "think": ("of",),                     # of 4/8
    "thinking": ("about",),               # about 5/6
    "thoughts": ("on",),                  # on 3/5
    "touched": ("on",),                   # on 4/6
    "turn": ("against",),                 # against 2/4
    "understanding": ("of",),             # of 3/5
    "voice": ("for",),                    # for 3/4
    "vote": ("against",),                 # against 4/7
    "voted": ("against", "for"),          # against 6/11, for 15/30
    "warned": ("against", "of"),          # against 3/5, of 5/6
    "wary": ("of",),                      # of 4/5
    "weighed": ("on",),                   # on 3/4
    "words": ("about",),                  # about 3/5
    "worried": ("about",),                # about 8/12
    "worries": ("about",),                # about 2/4
    "worry": ("about",),                  # about 4/8
    "wrote": ("about",),                  # about 4/5
    "zeroing": ("on",),                   # on 2/4
}
# Cue verbs whose object is whom they spoke to ("told us"), not what they said.
ADDRESSEE = frozenset({"tell", "ask", "inform", "warn", "urge", "assure", "remind", "brief"})
PHRASAL_ONLY = ("point", "talk", "push", "speak", "refer", "press")

TITLES = frozenset("""president minister secretary general chief head spokesman spokeswoman spokesperson
senator sen. sen rep. rep gov. gov governor mr. mr ms. ms mrs. mrs dr. dr director ambassador chairman
chairwoman chair leader representative commander prime foreign defense defence official mayor judge
prosecutor candidate nominee speaker adviser advisor aide manager pollster strategist analyst professor
deputy vice former acting lt. col. gen. adm. sgt. attorney chancellor king queen prince pope envoy
correspondent reporter editor founder ceo executive officer expert lawmaker congressman congresswoman
commissioner inspector minister's""".split())

# Verbs of impression: "X seemed to …" attributes a view to no one in particular.
RAISING = frozenset({"seem", "seems", "seemed", "appear", "appears", "appeared"})
# "In the poll, …": nouns of evidence that speak for themselves.
EVIDENCE_NOUNS = frozenset("""poll polls survey surveys study studies report analysis data census""".split())
# Labels before a colon that are not speakers ("Watch more: …").
NOT_SPEAKERS = frozenset("""watch more read more photo photos video update note editor's note related source
bottom line solution correction breaking exclusive listen transcript q a see also advertisement
sources by share related articles""".split("\n")[0].split() + ["watch more", "read more", "editor's note",
                         "bottom line", "see also", "related articles", "editor’s note"]
                        # labels seen at least twice on PolNeAR train, never with an annotated content
                        + ["correction", "contributing", "byline", "twitter", "revealed"])

# What a speaker issues, standing in for them as the subject ("…," the statement said).
DOCUMENT_NOUNS = frozenset({"statement", "post", "message", "tweet", "letter", "address", "appeal", "video"})

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"they", "it", "we"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
FIRST_PERSON = frozenset({"i", "we"})


def _regular(base: str) -> tuple[str, ...]:
    if base.endswith("e"):
        return base + "s", base + "d", base[:-1] + "ing"
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return base[:-1] + "ies", base[:-1] + "ied", base + "ing"
    if base.endswith(("s", "sh", "ch", "x")):
        return base + "es", base + "ed", base + "ing"
    if base in ("admit", "commit", "plan", "stop"):
        return base + "s", base + base[-1] + "ed", base + base[-1] + "ing"
    return base + "s", base + "ed", base + "ing"


def forms(base: str) -> tuple[str, ...]:
    """``base`` and its inflections (lower case)."""
    return (base, *IRREGULAR.get(base, _regular(base)))


FORM_TO_BASE: dict[str, str] = {}
for _base in sorted(CUE_VERBS | set(PHRASAL)):
    for _form in forms(_base):
        FORM_TO_BASE.setdefault(_form, _base)
for _base in sorted(set(PHRASAL) | CUE_VERBS | set(IRREGULAR)):
    for _form in forms(_base):
        if _form in POLNEAR_FORMS:
            FORM_TO_BASE.setdefault(_form, _base)
for _form in sorted(POLNEAR_FORMS):  # the rest stand for themselves
    FORM_TO_BASE.setdefault(_form, _form)
# Phrasal and addressee rules are looked up by base; forms of verbs outside the lists above
# map to themselves, which is what those rules need too ("pointed" -> "point" via PHRASAL).


# --- headlines and title lines --------------------------------------------------------------
# A headline is read with fewer cues than a sentence: "adds", "reveals", "plans", "promises" head
# headlines about actions and products far more often than about speech ("Apple Adds Apple TV
# Channel", "Trailer Promises Revenge"). These are the verbs by which a headline reports speech.
HEADLINE_SPEECH = frozenset("""say tell warn claim urge call deny insist admit confirm demand tout vow pledge
argue predict ask accuse blame criticize criticise slam praise defend threaten suggest declare state allege
concede acknowledge complain question dismiss stress reiterate hint voice note explain recommend rule credit
assure reassure caution think believe according""".split())
# Speech verbs whose content in a headline is simply what follows them ("Noyer says 'not happy'
# with euro's rise"); not "calls off", "rules the box office" or "credits a team".
HEADLINE_SAYING = frozenset("""say tell warn insist admit deny confirm claim predict argue state allege
concede acknowledge complain hint stress reiterate explain assure reassure caution think believe
suggest""".split())
# Verbs of stance whose object, in a headline, is what was said of it ("Icahn slams eBay CEO",
# "Union defends strike vote", "Mayor vows swift repairs"): speech only with an object.
HEADLINE_STANCE = frozenset("""slam blast praise criticize criticise defend rebuke tout vow pledge urge demand
accuse blame credit condemn applaud hail report press""".split())
# Verbs that report speech in a headline only with a clause of their own ("Maker reveals new phone
# is months away"), not with an object ("Maker reveals new phone", "Maker announces a merger").
HEADLINE_CLAUSE = frozenset({"reveal", "announce", "add", "disclose", "declare"})
# Verbs of denial that report speech when what they deny is a claim ("Germany rejects Putin
# claim it armed rebels"), not an offer or a bid ("Board rejects takeover offer").
HEADLINE_DENIAL = frozenset({"reject", "dismiss", "deny", "refute", "rebut", "deride"})
# Verbs of speech that, with a thing for object, are acts ("Chain declares bankruptcy", "Regulators
# dismissed complaints"): speech in a headline only with a clause or a claim for object.
HEADLINE_ACTS_ON_THINGS = frozenset({"declare", "dismiss"})
CLAIM_NOUNS = frozenset("""claim allegation accusation charge report rumour rumor criticism suggestion assertion
story""".split())
# Who a headline quotes without naming them ("Police: …", "Expert: …", "…: traders").
SOURCE_NOUNS = frozenset("""police expert experts official officials source sources analyst analysts report
reports study survey poll insider insiders trader traders economist economists critics witness witnesses
investigators prosecutors lawyer lawyers judge court spokesman spokeswoman spokesperson""".split())
# Institutions and groups a headline has speak ("US agency demands …", "Safety regulators warn …"),
# beside SOURCE_NOUNS and TITLES: who can say something, where "Stocks" or "Gold" cannot.
SPEAKER_NOUNS = frozenset("""agency agencies regulator regulators government governments ministry department
commission committee council senate congress parliament lawmakers legislators senators authorities
administration prosecutor panel board union unions company firm bank banks lender lenders group
investors campaign campaigners activists scientists researchers doctors officers spokesmen""".split()
                      # people named by what they do or are to a story: "Hackers claim …", "Fans ask …"
                      + """hackers users fans customers consumers shoppers buyers sellers voters residents
citizens workers employees staff shareholders owners drivers passengers players gamers developers opponents
supporters protesters demonstrators rebels bankers executives bosses leaders diplomats politicians
observers commentators reviewers readers viewers parents teachers students patients nurses farmers
environmentalists neighbours neighbors victims families member members boss""".split())
# Rubrics and section labels before a headline's colon (besides NOT_SPEAKERS).
# Only words met in the tune part of the headline labels (see storyline.eval.headlines).
RUBRICS = frozenset("""op-ed recap brief spoiler alert""".split()
                    # a newsroom's labels for what kind of item follows, in any case ("FYI:", "PSA:",
                    # "Snowden Interview Live:"): a word like these anywhere before the colon makes a label
                    + """fyi psa icymi faq interview live livestream liveblog preview roundup round-up wrap
analysis opinion editorial commentary explainer factbox timeline""".split()
                    # stock exchanges: "NASDAQ: …" heads market news, as a ticker ("NYSE:GM") does
                    + "nyse nasdaq amex lse tsx".split())
# A column's or series' name ends in one of these ("Midday Market Stats:", "SXSW News:", "Games
# Inbox:"): the name of a rubric, not of a speaker. Met in UCI headlines outside the labelled sample.
RUBRIC_HEADS = frozenset("""news stats docket inbox trailer mixtape promo spoilers""".split()
                         # an event named as a topic ("Exchange Crash:", "Bank Hack:", "Pipeline Deal:"):
                         # what happened, which cannot speak
                         + """crash hack heist attack breach outage collapse scandal saga fiasco debacle
crisis bankruptcy default merger deal takeover launch release premiere finale recall shutdown strike
trial probe""".split())
# Events and gatherings a headline is set at ("SXSW: Google announces …", "Davos: …"): where
# something was said, never who said it. Conferences, fairs, festivals and summits by their names.
EVENTS = frozenset("""sxsw sxswi ces mwc wwdc e3 gdc ifa computex comic-con comiccon davos wef ted tedx
coachella sundance cannes tribeca g7 g8 g20 nab cebit oscars grammys emmys olympics""".split())
# What a game or a device runs on ("Skyrim on PS4: …"): a name put on one is a product, which
# cannot speak.
PLATFORMS = frozenset("""xbox ps3 ps4 ps5 playstation pc wii switch ios android iphone ipad mac windows steam vita
3ds""".split())
# What is told of a product, not by it ("Skyrim: release date, DLC and gameplay", "Skyrim: PC
# resolution confirmed"): after a colon, a name before it that is no person or organisation is the product's.
PRODUCT_TERMS = frozenset("""resolution resolutions frame-rate framerate fps gameplay dlc specs beta patch
screenshots hands-on benchmark benchmarks teaser walkthrough cheats 720p 900p 1080p 4k""".split())
