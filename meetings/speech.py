"""The words the Chatham House checker listens for around a name: verbs of saying,
holding a view and taking an action, the nouns a view is expressed in, and the small words
that decide whether a name is speaking ("HMRC said") or only spoken about ("data held by
HMRC"). Kept as data so the rules in `chatham` stay short and a reviewer can extend them.
"""

from __future__ import annotations

from .gazetteer import word_set

# --- Verbs ------------------------------------------------------------------------------

# Verbs of saying, holding a view, deciding or asking: their subject is a speaker.
REPORTING_LEMMAS = word_set("""
    say argue note state suggest claim feel believe think propose warn insist explain observe
    remark comment add ask raise agree disagree object stress emphasise emphasize accept
    recommend question welcome urge caution counter respond reply express voice acknowledge
    concede highlight mention want oppose support back reject criticise criticize praise tell
    favour favor prefer doubt worry fear hope wish contend maintain assert confirm announce
    describe offer volunteer undertake commit promise reiterate underline query challenge
    dispute predict recall admit complain conclude indicate advise advocate endorse dismiss
    deny recognise recognize present outline summarise summarize share clarify reckon speak
    write lead decide vote second abstain cite quote regret suspect expect anticipate estimate
    report reflect consider protest intervene request demand thank echo
    remind flag table defend justify seek contest rebut commend apologise apologize allege
    guarantee assure reassure recount wonder speculate forecast characterise retort
    interject update brief inform signal underscore identify
    """)

# Verbs of doing, read as an action when they follow "will", "to" or "agreed to".
ACTION_LEMMAS = word_set("""
    draft redraft circulate recirculate write send share prepare review check contact follow
    update produce provide arrange organise organize investigate look report present set
    lead coordinate consider confirm publish chase find collate summarise summarize email
    discuss liaise explore map compile draw host convene invite ask seek take bring feed
    respond submit test fund revise amend table scope commission brief pursue approach
    complete finalise finalize deliver gather collect analyse analyze assess evaluate
    research establish identify define develop design build create run chair attend join
    nominate recruit source obtain supply upload post distribute forward pass put include
    record minute flag escalate resolve address progress help advise work meet call phone
    ring own manage oversee monitor track schedule book plan come get give
    """)

_IRREGULAR = {  # lemma: (past, past participle)
    "say": ("said", "said"),
    "feel": ("felt", "felt"),
    "think": ("thought", "thought"),
    "tell": ("told", "told"),
    "speak": ("spoke", "spoken"),
    "write": ("wrote", "written"),
    "lead": ("led", "led"),
    "undertake": ("undertook", "undertaken"),
    "set": ("set", "set"),
    "put": ("put", "put"),
    "take": ("took", "taken"),
    "give": ("gave", "given"),
    "draw": ("drew", "drawn"),
    "send": ("sent", "sent"),
    "bring": ("brought", "brought"),
    "find": ("found", "found"),
    "seek": ("sought", "sought"),
    "meet": ("met", "met"),
    "run": ("ran", "run"),
    "build": ("built", "built"),
    "come": ("came", "come"),
    "get": ("got", "got"),
    "feed": ("fed", "fed"),
    "make": ("made", "made"),
    "go": ("went", "gone"),
}
_DOUBLED = {
    "commit",
    "admit",
    "regret",
    "prefer",
    "refer",
    "submit",
    "map",
    "plan",
    "permit",
    "sum",
}


def _third_person(lemma: str) -> str:
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        return lemma + "es"
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma[:-1] + "ies"
    return lemma + "s"


def _past(lemma: str) -> tuple[str, str]:
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma.endswith("e"):
        form = lemma + "d"
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        form = lemma[:-1] + "ied"
    elif lemma in _DOUBLED:
        form = lemma + lemma[-1] + "ed"
    else:
        form = lemma + "ed"
    return form, form


def _present_participle(lemma: str) -> str:
    if lemma.endswith("ie"):
        return lemma[:-2] + "ying"
    if lemma.endswith("e") and not lemma.endswith(("ee", "ye", "oe")):
        return lemma[:-1] + "ing"
    if lemma in _DOUBLED:
        return lemma + lemma[-1] + "ing"
    return lemma + "ing"


REPORTING = frozenset(REPORTING_LEMMAS)
LEMMAS = REPORTING | frozenset(ACTION_LEMMAS)
# Forms that follow a subject directly: "argues", "argued", "said".
FINITE = frozenset(
    {_third_person(lemma) for lemma in REPORTING} | {_past(lemma)[0] for lemma in REPORTING}
)
# After "has", "had" and "have": "has argued".
PARTICIPLES = frozenset(_past(lemma)[1] for lemma in REPORTING)
# After "was", "is": "was arguing".
PROGRESSIVE = frozenset(_present_participle(lemma) for lemma in REPORTING)

# Verbs of several words, in every form of their first word.
_PHRASE_LEMMAS = (
    ("point", "out"),
    ("call", "for"),
    ("push", "for"),
    ("press", "for"),
    ("set", "out"),
    ("put", "it"),
    ("put", "forward"),
    ("put", "the", "case"),
    ("take", "the", "view"),
    ("make", "the", "point"),
    ("make", "the", "case"),
    ("sum", "up"),
    ("follow", "up"),
    ("look", "into"),
    ("draw", "up"),
    ("feed", "back"),
    ("come", "back"),
    ("go", "on", "to", "say"),
)
PHRASES: dict[str, list[tuple[str, ...]]] = {}
for _phrase in _PHRASE_LEMMAS:
    _lemma = _phrase[0]
    for _form in {_lemma, _third_person(_lemma), *_past(_lemma), _present_participle(_lemma)}:
        PHRASES.setdefault(_form, []).append((_form, *_phrase[1:]))

# "agreed to draft", "offered to circulate": a commitment to an action.
COMMITMENTS = word_set(
    """
    agreed agrees offered offers undertook undertakes undertaken volunteered volunteers
    promised promises committed commits pledged pledges decided decides asked
    """
)

# Verb forms that are also plural nouns ("DWP claims data"): read as a verb only when a
# clause or a preposition follows ("the ICO notes that").
NOUN_LIKE = word_set(
    """
    notes states claims comments questions remarks answers requests reports supports wants
    hopes fears wishes doubts offers calls plans leads presents replies counters backs objects
    cautions favours challenges queries disputes estimates highlights records reflects
    stresses voices welcomes worries outlines raises shares thanks demands protests votes
    seconds quotes cites regrets suspects points proposals concerns views accounts flags
    tables briefs forecasts guarantees updates signals
    """
)
FOLLOWERS = word_set(
    """
    that , the a an it this these those there how why whether what we they its their his
    her for to about on against with any no some more strongly firmly " : .
    """
) | {"\u201c", "\u2018"}

# Past tenses that do not end in -ed, for a subject's first verb ("Jane took the chair and
# said").
PAST_TENSES = word_set(
    """
    took gave made came went began led ran met spoke saw sat left held brought thought felt
    said told put set read wrote drew sent found kept got
    """
)

BE = word_set("was were is are remained remains seemed seems appeared appears")
FUTURE = frozenset({"will", "shall"})
AUXILIARIES = word_set("would did does do could can cannot might may must should")
PERFECT = frozenset({"has", "have", "had"})

# "was concerned", "is keen", "remained sceptical": a stance, so the subject holds a view.
STANCE = word_set(
    """
    concerned opposed against keen clear adamant sceptical skeptical unconvinced convinced
    supportive worried unhappy happy content reluctant firm insistent critical enthusiastic
    cautious wary doubtful hopeful confident uneasy comfortable uncomfortable open willing
    unwilling eager anxious minded persuaded unpersuaded satisfied dissatisfied pleased
    disappointed frustrated surprised alarmed resistant receptive positive negative unsure
    uncertain determined committed interested troubled sympathetic unsympathetic
    ambivalent relaxed emphatic vocal
    """
)

ADVERBS = word_set(
    """
    also then later again still further too once instead first subsequently previously
    already now initially never always often rightly not all both each jointly together
    """
)
# Words ending in -ly that are not adverbs of manner.
NOT_ADVERBS = word_set(
    """
    only early family supply apply rely reply italy fly ally july assembly holy likely
    elderly friendly monthly weekly quarterly daily costly timely lonely silly ugly
    """
)

# Inverted reporting after a quotation: "..., said Jane".
INVERTED = word_set(
    """
    said says added argued noted observed remarked commented explained continued replied
    responded insisted warned suggested countered concluded wrote stated asked claimed
    """
)
QUOTE_MARKS = frozenset({",", '"', "'", "-", ":", "\u201c", "\u201d", "\u2018"})

# --- Nouns of a view --------------------------------------------------------------------

# After a person's or a role's possessive: "Sarah Jones's concern", "the chair's summary".
VIEWS = word_set(
    """
    view views position positions concern concerns point points argument arguments opinion
    opinions suggestion suggestions proposal proposals objection objections comment comments
    question questions worry worries fear fears reservation reservations preference
    preferences recommendation recommendations idea ideas line stance response reply remark
    remarks criticism criticisms complaint warning request contribution intervention
    observation observations assessment advice feeling belief offer insistence challenge
    doubt doubts caution plea call demand priority priorities message case take answer
    experience perspective mind thoughts thinking account action actions motion vote verdict
    conclusion impression instinct hope hopes wish wishes aim intention plan presentation
    update briefing talk input words claim claims contention assertion summary
    """
)
# After an organisation, only nouns of opinion: "the ICO's view", "the DWP position", but
# not "the ICO's published code" or "the Cabinet Office's proposals" (a public document).
ORGANISATION_VIEWS = word_set(
    """
    view views position positions concern concerns objection objections opinion stance line
    preference perspective worry worries reservation reservations fear fears argument
    suggestion criticism complaint warning insistence take thinking instinct contention
    doubts
    """
)
POSSESSIVE_ADJECTIVES = word_set(
    """
    main strong own initial key particular earlier serious real central chief principal
    biggest greatest major firm clear personal considered stated overriding continuing
    repeated specific further only first latest original strongest
    """
)

# "the view of X", "on behalf of X".
FRAME_OF = word_set(
    """
    view views opinion words position concerns concern perspective behalf stance objection
    objections suggestion recommendation argument
    """
)
# "raised by X", "a question from X", "heard from X"; not "written by X" (a document).
FRAME_BY = (
    VIEWS
    | (PARTICIPLES - {"written"})
    | word_set(
        """
        heard presentation update briefing talk input contribution intervention forward made
        led given chaired
        """
    )
)

# --- Small words ------------------------------------------------------------------------

ARTICLES = ("the", "a", "an")
DEFINITE = frozenset({"the", "our", "their", "its", "his", "her", "your"})
DETERMINERS = word_set(
    "a an the one another some two three several many our their its this that each any other"
)
# Words that may stand between "the" and a role: "the senior government official".
ROLE_QUALIFIERS = word_set(
    """
    senior deputy junior government civil society local central lead acting interim new
    former outgoing incoming departmental academic charity sector voluntary third private
    public industry business research health technical legal policy data statistics
    privacy security working group network meeting panel regional devolved relevant council
    department principal special parliamentary press
    """
)
# Joining words inside a name: "University of Leeds", "Maria de Souza", "King's College".
NAME_JOINERS = word_set(
    "of for on and & 's van von de der den du da di del della la le bin ibn al el ap ben dos das"
)
# Words that pick a speaker out of a group: "Some members, including Tariq, felt".
LISTING = word_set("including notably especially particularly namely")
# Prepositions that tie an agent to someone speaking: "a participant from the ICO".
AFFILIATIONS = word_set("from of at representing for within")
# Verbs of editing a text, which open a line of "what changed" ("Removed Jane Smith's view").
EDITING = word_set("remove add delete amend correct replace reword insert move strike")
# Words that open a clause of its own, whose subject may speak: "what Jane Smith said",
# "why HMRC objected"; but "how HMRC data would be protected" has no speaker. ("whether"
# and "if" ask a question of someone: "Members asked whether the ICO agreed" says nothing
# the ICO said.)
CLAUSE_WORDS = word_set("how why what when where which whose whom")
# A name after these is spoken about, not speaking ("about how HMRC", "held at the ICO").
BLOCKING = word_set(
    """
    about at in into on onto of for with to over under by through between within across
    regarding concerning including against towards toward from than like via per among
    amongst upon after before during without beyond whether how why what if when where
    which whose whom unlike around behind near beside besides despite except excluding
    throughout inside outside representing
    """
)
# Punctuation that ends a clause: an aside or an affiliation never runs past it. ("?"
# and "!" are not here: within one sentence they belong to a name such as "Which?".)
BREAKS = frozenset({".", ";", ":", '"', "\u201c", "\u201d"})
# What may come just before the start of a clause.
CLAUSE_OPENERS = frozenset({":", ";", '"', "\u201c", "\u2018", "'", "(", "-", ","})
# Labels an action's owner follows: "Action: Jane to draft", "Owner (HMRC)".
ACTION_LABELS = word_set("action actions owner owners lead who responsible")
# Endings of ordinary nouns that begin sentences ("Consultation", "Options", "Analysis").
NOUN_SUFFIXES = (
    "tion",
    "tions",
    "sion",
    "sions",
    "ment",
    "ments",
    "ness",
    "ity",
    "ities",
    "ance",
    "ances",
    "ence",
    "ences",
    "ship",
    "ism",
    "ysis",
    "ogy",
    "ists",
    "ians",
    "ants",
    "ents",
    "ics",
)
