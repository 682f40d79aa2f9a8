"""The Chatham House checker: a table of sentences that attribute a view, and that do not."""

from __future__ import annotations

import pytest

from meetings import gazetteer
from meetings.chatham import find_attributions, split_sentences

ATTENDEES = [
    ("Dr Anita Patel", "Office for National Statistics"),
    ("John Smith", "Her Majesty's Revenue and Customs"),
    ("Siobhán O'Brien", "Open Rights Group"),
    ("Mary Smith-Jones", "Department for Work and Pensions"),
    ("José Álvarez", "Involve"),
    ("Will Turner", "Citizens Advice (CA)"),
    ("Grace Li", "University of Leeds"),
]

ATTRIBUTED = [
    ("Anita Patel argued that consent should be explicit.", "Dr Anita Patel"),
    ("Patel argued that consent should be explicit.", "Dr Anita Patel"),
    ("Anita thought the safeguards were too weak.", "Dr Anita Patel"),
    ("Dr Patel raised concerns about re-identification.", "Dr Anita Patel"),
    ("Dr. Patel raised concerns about re-identification.", "Dr Anita Patel"),
    ("Smith's view was that the code of practice is enough.", "John Smith"),
    ("SMITH said the pilot should be extended.", "John Smith"),
    ("john smith disagreed with the timetable.", "John Smith"),
    ("O'Brien warned against function creep.", "Siobhán O'Brien"),
    ("O\u2019Brien warned against function creep.", "Siobhán O'Brien"),
    ("OBrien warned against function creep.", "Siobhán O'Brien"),
    ("Siobhan asked for a privacy impact assessment.", "Siobhán O'Brien"),
    ("Smith-Jones noted the cost of the new system.", "Mary Smith-Jones"),
    ("Smith Jones noted the cost of the new system.", "Mary Smith-Jones"),
    ("Jones felt the proposal went too far.", "Mary Smith-Jones"),
    ("Jose Alvarez suggested a public register of data shares.", "José Álvarez"),
    ("ÁLVAREZ suggested a public register of data shares.", "José Álvarez"),
    ("Álvarez's point about transparency was accepted.", "José Álvarez"),
    ("Will said the timetable was too short.", "Will Turner"),
    ("Turner objected to the use of tax data.", "Will Turner"),
    ("Grace pointed out that the evidence was thin.", "Grace Li"),
    (
        "The Office for National Statistics argued for an exemption.",
        "Office for National Statistics",
    ),
    ("The ONS argued for an exemption.", "Office for National Statistics"),
    ("HMRC was opposed to any new gateway.", "Her Majesty's Revenue and Customs"),
    ("Her Majesty\u2019s Revenue and Customs was opposed.", "Her Majesty's Revenue and Customs"),
    ("The DWP position was that debt data should be shared.", "Department for Work and Pensions"),
    ("Open Rights Group called for stronger penalties.", "Open Rights Group"),
    ("ORG called for stronger penalties.", "Open Rights Group"),
    ("Involve said the process should stay open.", "Involve"),
    ("CA asked for advice services to be consulted.", "Citizens Advice (CA)"),
    ("Citizens Advice asked for advice services to be consulted.", "Citizens Advice (CA)"),
    ("The University of Leeds welcomed the research strand.", "University of Leeds"),
    ("The Minister said the Bill would follow in the autumn.", "the minister"),
    ("The chair argued that the group should meet monthly.", "the chair"),
    ("The representative from HMRC noted the legal constraints.", "the representative"),
    ("The representative from a large charity noted the risk.", "the representative"),
    ("The Minister's view was that the paper was ready.", "the minister"),
    ("According to the Permanent Secretary, funding is secure.", "the permanent secretary"),
    ("The convenor strongly argued for a delay.", "the convenor"),
]

UNATTRIBUTED = [
    "One participant argued that consent should be explicit.",
    "Some members felt the safeguards were too weak.",
    "The group agreed to meet again in June.",
    "Several participants raised concerns about re-identification.",
    "It was noted that the code of practice may be enough.",
    "A view was expressed that the pilot should be extended.",
    "Participants from government and civil society disagreed on the timetable.",
    "Others warned against function creep.",
    "There was broad agreement on the need for transparency.",
    "We will publish the interim paper in October.",
    "The proposals involve sharing data between departments.",
    "Attendees discussed the grace period for deletion.",
    "Members may wish to comment on the draft by Friday.",
    "A number of attendees thought the evidence was thin.",
    "The meeting closed with a summary of next steps.",
    "Data sharing for research needs strong safeguards.",
    "It was suggested that a public register of data shares be kept.",
    # Spoken about, not speaking: after a preposition or "whether".
    "Data from HMRC suggested that fraud was rising.",
    "Members asked whether the ICO agreed.",
    # Laws, reports, programmes and places are nobody.
    "The Digital Economy Act 2017 says little about consent.",
    "The Caldicott review recommended a new consent model.",
    "The Bill says nothing about consent.",
    "Universal Credit will share data with councils.",
    "Edinburgh and Cardiff both agreed with the approach.",
    "North Wales and Cardiff both asked for more regional events.",
    "The Guardian reported that the data had been sold.",
    "- Leveson Inquiry recommended stronger penalties.",
    # A verb form that is a noun here, a hyphenated "-led", a group of nobody in particular.
    "The DWP claims data was discussed.",
    "An HMRC-led pilot was discussed.",
    "Several NGOs argued for a statutory code.",
]


@pytest.mark.parametrize(("sentence", "who"), ATTRIBUTED)
def test_checker_finds_attribution(sentence, who):
    findings = find_attributions(sentence, ATTENDEES)
    assert who in {f.matched for f in findings}, findings
    assert all(f.sentence == sentence for f in findings)


@pytest.mark.parametrize("sentence", UNATTRIBUTED)
def test_checker_passes_unattributed_sentence(sentence):
    assert find_attributions(sentence, ATTENDEES) == []


def test_table_has_at_least_forty_sentences():
    assert len(ATTRIBUTED) + len(UNATTRIBUTED) >= 40


def test_finding_quotes_only_the_offending_sentence():
    text = "The group agreed the scope. Patel argued for a delay.\n- Some members disagreed."
    findings = find_attributions(text, ATTENDEES)
    assert [(f.matched, f.kind, f.sentence) for f in findings] == [
        ("Dr Anita Patel", "person", "Patel argued for a delay.")
    ]


def test_title_abbreviation_does_not_split_a_sentence():
    assert split_sentences("Dr. Patel spoke. Then we broke.") == [
        "Dr. Patel spoke.",
        "Then we broke.",
    ]


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("Jane Smith said the proposal was flawed.", "Jane Smith said"),
        ("According to Raj, the data is already shared informally.", "According to Raj"),
        ("The DWP representative insisted on a gateway.", "The DWP representative insisted"),
        ("Sarah Jones's concern was consent.", "Sarah Jones's concern"),
        ("It was Fatima Begum who proposed the register.", "It was Fatima Begum who proposed"),
        ("Mark (HMRC) said the pilot worked.", "Mark (HMRC) said"),
        ("One participant, Sarah Jones, argued for it.", "One participant, Sarah Jones, argued"),
        ("Action: Jane to draft the terms of reference.", "Action: Jane to draft"),
        ("In the view of the ICO, the code is enough.", "In the view of the ICO"),
        ("Raj agreed to circulate the evidence.", "Raj agreed to circulate"),
    ],
)
def test_finding_quotes_the_words_that_attribute(sentence, words):
    assert words in {f.words for f in find_attributions(sentence, [])}


@pytest.mark.parametrize(
    ("sentence", "matched"),
    [
        ("Mark (HMRC) said the pilot worked.", {"Mark", "HM Revenue and Customs"}),
        ("Greg from the LGA argued for it.", {"Greg", "Local Government Association"}),
        ("Jane Smith, who chairs the Nuffield Trust, agreed.", {"Jane Smith", "Nuffield Trust"}),
    ],
)
def test_an_affiliation_of_someone_speaking_is_a_finding_of_its_own(sentence, matched):
    assert {f.matched for f in find_attributions(sentence, [])} == matched


def test_words_keep_the_convenors_accents_and_apostrophes():
    [finding] = find_attributions("José Álvarez\u2019s view was that consent matters.", ATTENDEES)
    assert finding.matched == "José Álvarez"
    assert finding.words == "José Álvarez\u2019s view"


def test_an_attendees_organisation_spoken_about_is_not_a_finding():
    sentence = "Questions were asked about how HMRC data would be protected."
    assert find_attributions(sentence, ATTENDEES) == []


def test_organisations_from_the_database_are_named_as_the_database_holds_them():
    sentence = "The SDN warned about re-identification."
    [unknown] = find_attributions(sentence, [])
    [known] = find_attributions(sentence, [], organisations=["Safe Data Network"])
    assert (unknown.matched, unknown.kind) == ("SDN", "organisation")
    assert (known.matched, known.kind) == ("Safe Data Network", "organisation")
    spoken_about = "Members asked how Safe Data Network collects its data."
    assert find_attributions(spoken_about, [], organisations=["Safe Data Network"]) == []


BODIES = [
    (alias, line.split("|")[0].strip())
    for line in gazetteer.PUBLIC_BODIES + gazetteer.CIVIL_SOCIETY
    for alias in (name.strip() for name in line.split("|"))
]


@pytest.mark.parametrize(("alias", "body"), BODIES)
def test_every_listed_body_is_found_speaking_and_passed_when_spoken_about(alias, body):
    [finding] = find_attributions(f"{alias} said the plan was sound.", [])
    assert (finding.matched, finding.kind) == (body, "organisation")
    assert find_attributions(f"Members asked how {alias} data would be used.", []) == []


@pytest.mark.parametrize("role", gazetteer.ROLES)
def test_every_role_identifies_with_the_but_not_with_a(role):
    [finding] = find_attributions(f"The {role} said the plan was sound.", [])
    assert (finding.matched, finding.kind) == (f"the {role}", "role")
    assert find_attributions(f"A {role} said the plan was sound.", []) == []


def test_an_odd_name_or_an_initial_does_not_end_a_sentence():
    assert split_sentences("Which? warned about costs. J. Smith agreed.") == [
        "Which? warned about costs.",
        "J. Smith agreed.",
    ]
