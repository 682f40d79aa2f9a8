"""The Chatham House checker against a corpus of notes sentences: every attribution is
caught (recall 100 %), and at most one in ten Chatham-compatible sentences is flagged.

Each attributed sentence names the agent as written; the checker must flag it for that
agent, with words quoted from the sentence itself, so a convenor can find and reword them.
"""

from __future__ import annotations

from meetings.chatham import Finding, find_attributions

ATTENDEES = [
    ("Dr Anita Patel", "Office for National Statistics"),
    ("Tom Reyes", "HM Revenue and Customs"),
    ("Siobhán O'Connell", "Open Rights Group"),
    ("Marcus Webb", "Department for Work and Pensions"),
    ("Priya Nair", "Citizens Advice"),
    ("Will Hughes", "Local Government Association"),
    ("Grace Adeyemi", "University of Leeds"),
    ("Laura Bennett", "Involve"),
]
# Organisations the database holds that no bundled list knows.
DATABASE_ORGANISATIONS = [
    "Data Justice Lab",
    "Fuel Poverty Coalition",
    "Northshire County Council",
    "Safe Data Network",
]

# (sentence, the agent as written in it)
ATTRIBUTED = [
    # People off the record, full names
    ("Jane Smith said the proposal was flawed.", "Jane Smith"),
    ("Priya Hale proposed a vote.", "Priya Hale"),
    ("Oliver Grant argued that consent should be opt-in.", "Oliver Grant"),
    ("Fatima Begum warned that the pilot had no end date.", "Fatima Begum"),
    ("Chen Wei suggested publishing every data sharing agreement.", "Chen Wei"),
    ("Hannah Okafor felt the safeguards were too weak.", "Hannah Okafor"),
    ("Rory McAllister questioned whether the savings were real.", "Rory McAllister"),
    ("Maria de Souza insisted on an independent audit.", "Maria de Souza"),
    ("Later in the meeting, Ben Ito raised the cost of the new system.", "Ben Ito"),
    ("After lunch Amira Haddad asked for the evidence to be circulated.", "Amira Haddad"),
    ("Ewan O'Neill strongly disagreed with the timetable.", "Ewan O'Neill"),
    ("Sophie Turner-Blake has argued for a sunset clause.", "Sophie Turner-Blake"),
    # First names and surnames only
    ("Raj thought the data was already shared informally.", "Raj"),
    ("Greg would not support a new gateway.", "Greg"),
    ("Tariq was concerned that councils lacked the skills.", "Tariq"),
    ("Nina pointed out that the register was incomplete.", "Nina"),
    ("Jones felt that the evidence was thin.", "Jones"),
    ("Okafor replied that consent was not the only safeguard.", "Okafor"),
    ("Davies stressed the importance of transparency.", "Davies"),
    ("Then Kowalski objected to the use of tax data.", "Kowalski"),
    # Titles and honorifics
    ("Dr Helen Price warned against function creep.", "Dr Helen Price"),
    ("Professor Green argued that linkage should happen in a safe setting.", "Professor Green"),
    ("Sir Nicholas Brown said the costs were overstated.", "Sir Nicholas Brown"),
    ("Dame Fiona Hart recommended a single consent model.", "Dame Fiona Hart"),
    ("Baroness Lane suggested a sunset clause.", "Baroness Lane"),
    ("Lord Kerr noted that Parliament would want a say.", "Lord Kerr"),
    ("The Rt Hon Jane Doe MP said the Bill would be amended.", "Jane Doe MP"),
    ("Cllr Ahmed noted the pressure on council budgets.", "Cllr Ahmed"),
    ("Ms Okoro asked who would audit the gateway.", "Ms Okoro"),
    ("Prof. Lindqvist explained how the trusted third party works.", "Lindqvist"),
    # Possessives and views
    ("Sarah Jones's concern was that consent was missing.", "Sarah Jones"),
    ("Raj's proposal was to publish a register.", "Raj"),
    ("James' suggestion about audit trails was accepted.", "James"),
    ("Professor Ana Souza's objection was noted.", "Ana Souza"),
    ("The ICO's view was that the code was sufficient.", "ICO"),
    ("HMRC's position was that tax data could not be shared.", "HMRC"),
    ("The Treasury's main concern was cost.", "Treasury"),
    ("The DWP position was that debt data should be shared.", "DWP"),
    ("The chair's summary was that more evidence was needed.", "chair"),
    ("Lord Kerslake's view was that the timetable was too short.", "Lord Kerslake"),
    # Appositions, brackets and clefts
    ("One participant, Sarah Jones, argued for a public register.", "Sarah Jones"),
    ("Jane Smith, the chair of the network, said the paper was ready.", "Jane Smith"),
    ("The convenor, Priya Hale, proposed a vote on the options.", "Priya Hale"),
    ("Another member - Tariq Aziz - warned of the risks to children.", "Tariq Aziz"),
    (
        "A researcher, Ben Ito, who has studied linkage for years, cautioned against haste.",
        "Ben Ito",
    ),
    ("Mark (HMRC) said the pilot had worked well.", "Mark"),
    ("One participant (DWP) argued that the savings justified the risk.", "DWP"),
    ("Chen (ODI) suggested an open register of data shares.", "ODI"),
    ("It was Fatima Begum who proposed the register.", "Fatima Begum"),
    ("It was the ICO that raised the question of enforcement.", "ICO"),
    ("It was Raj who insisted on a review after two years.", "Raj"),
    # According to, in someone's view, as someone put it
    ("According to Raj, the data is already shared informally.", "Raj"),
    ("According to the Cabinet Office, the savings would be large.", "Cabinet Office"),
    ("According to the Permanent Secretary, funding is secure.", "Permanent Secretary"),
    ("In Raj's view, the safeguards are weak.", "Raj"),
    ("In the view of the ICO, the code is enough.", "ICO"),
    ("As Professor Green put it, trust is earned slowly.", "Professor Green"),
    ("As the chair pointed out, the code is voluntary.", "chair"),
    ("As Hannah pointed out, nobody had asked the public.", "Hannah"),
    # Public bodies as speakers
    ("The Cabinet Office said the timetable would slip.", "Cabinet Office"),
    ("HMRC said it could not share the data.", "HMRC"),
    ("The DWP representative insisted on a new gateway.", "DWP"),
    ("The Treasury warned that the savings were uncertain.", "Treasury"),
    ("Home Office officials argued for wider access.", "Home Office"),
    ("NHS Digital agreed to publish its register of releases.", "NHS Digital"),
    ("The Scottish Government was keen to take part.", "Scottish Government"),
    ("The LGA felt that councils should decide locally.", "LGA"),
    ("The ICO cautioned against relying on consent.", "ICO"),
    ("DfE colleagues suggested a pilot in two areas.", "DfE"),
    ("Ofgem raised the question of smart meter data.", "Ofgem"),
    ("NISRA noted that Northern Ireland has its own rules.", "NISRA"),
    ("COSLA objected to a UK-wide approach.", "COSLA"),
    ("Public Health England confirmed that it holds the data.", "Public Health England"),
    ("The Welsh Government welcomed the fuel poverty strand.", "Welsh Government"),
    ("The National Audit Office has questioned the savings estimate.", "National Audit Office"),
    # Civil society, universities, odd names, unknown organisations
    ("Which? warned that consumers would lose out.", "Which?"),
    ("medConfidential insisted that patients be told.", "medConfidential"),
    ("Liberty argued that the powers were too broad.", "Liberty"),
    ("Big Brother Watch called for a statutory code.", "Big Brother Watch"),
    ("The Nuffield Trust said the evidence was thin.", "Nuffield Trust"),
    ("Leeds City Council argued for more funding.", "Leeds City Council"),
    ("The University of Bristol welcomed the research strand.", "University of Bristol"),
    ("The Ada Lovelace Institute recommended a citizens' jury.", "Ada Lovelace Institute"),
    ("Shelter warned that tenants would be affected.", "Shelter"),
    ("The NEF argued that the savings were overstated.", "NEF"),
    ("dataKind offered to help with the analysis.", "dataKind"),
    ("Data Justice Lab said the impact on claimants had not been assessed.", "Data Justice Lab"),
    ("The Fuel Poverty Coalition pressed for automatic discounts.", "Fuel Poverty Coalition"),
    ("Northshire County Council was opposed to the timetable.", "Northshire County Council"),
    ("Safe Data Network warned about re-identification.", "Safe Data Network"),
    ("Greg from the LGA argued for local flexibility.", "LGA"),
    ("A participant from the ICO argued that the code was enough.", "ICO"),
    ("The representative from Citizens Advice noted the cost to claimants.", "Citizens Advice"),
    ("The Home Office official said the data was needed.", "Home Office"),
    ("The Ofsted attendee agreed to check the guidance.", "Ofsted"),
    # Identifying roles
    ("The Minister said the Bill would follow in the autumn.", "Minister"),
    ("The chair argued that the group should meet monthly.", "chair"),
    ("The convenor proposed a vote.", "convenor"),
    ("Our host noted that the room was booked until four.", "host"),
    ("The Information Commissioner warned against a blanket gateway.", "Information Commissioner"),
    ("The National Statistician said the census data would stay secure.", "National Statistician"),
    ("The co-chair summed up the discussion.", "co-chair"),
    ("The senior Treasury official was sceptical.", "Treasury"),
    ("The Minister for the Cabinet Office thanked the network for its work.", "Minister"),
    ("Their spokesperson insisted that nothing had changed.", "spokesperson"),
    # Actions
    ("HMRC will circulate the paper.", "HMRC"),
    ("Action: Jane to draft the terms of reference.", "Jane"),
    ("Action: DWP to share the cost model.", "DWP"),
    ("Raj agreed to circulate the evidence.", "Raj"),
    ("The ICO offered to review the draft code.", "ICO"),
    ("Priya Hale will write to members about the next meeting.", "Priya Hale"),
    ("Owner: Citizens Advice.", "Citizens Advice"),
    ("Jane Smith: circulate the note by Friday.", "Jane Smith"),
    ("The ONS is to draft the linkage protocol.", "ONS"),
    # Reported speech, passive agents and other frames
    ('"The data is already shared," said Jane.', "Jane"),
    ("\u201cWe cannot support this,\u201d added the Minister.", "Minister"),
    ("It was argued by the Home Office that the powers were needed.", "Home Office"),
    ("A proposal from Raj to publish a register was discussed.", "Raj"),
    ("Concerns raised by the LGA about cost were noted.", "LGA"),
    ("Members heard from the ICO about enforcement.", "ICO"),
    ("Speaking for the DWP, one member defended the pilot.", "DWP"),
    ("On behalf of Which?, a participant asked about consent.", "Which?"),
    ("Jane and Raj argued for a public register.", "Raj"),
    ("HMRC and the DWP agreed that the gateway should be narrow.", "HMRC"),
    ("The ICO, HMRC and Ofsted all warned against rushing.", "Ofsted"),
    ("Jane Smith: the data is already shared informally.", "Jane Smith"),
    ("HMRC: no objection to the pilot.", "HMRC"),
    ("The ICO was clear that consent was not required.", "ICO"),
    ("The Treasury remained sceptical about the savings.", "Treasury"),
    ("Raj was keen to see the evidence first.", "Raj"),
    # Attendees on the record, named anywhere
    ("The group thanked Patel for hosting.", "Patel"),
    ("Anita thought the safeguards were too weak.", "Anita"),
    ("Tom Reyes argued that the tax data was too sensitive.", "Tom Reyes"),
    ("O'Connell warned against function creep.", "O'Connell"),
    ("Siobhan asked for a privacy impact assessment.", "Siobhan"),
    ("Members agreed with Webb about the timetable.", "Webb"),
    ("Will said the timetable was too short.", "Will"),
    ("The University of Leeds welcomed the strand.", "University of Leeds"),
    ("Involve said the process should stay open.", "Involve"),
    ("The ONS argued for an exemption.", "ONS"),
    # More of every kind
    ("Hughes, speaking for the LGA, argued for local control.", "Hughes"),
    ("The Welsh Government's position was that the scheme should be voluntary.", "Welsh"),
    ("Professor Sarah Connolly of Cardiff University argued for supervised linkage.", "Cardiff"),
    ("A DWP official agreed to send the figures.", "DWP"),
    ("The ONS lead warned that response rates were falling.", "ONS"),
    ("Some members, including Tariq, felt the risks were underplayed.", "Tariq"),
    ("Several participants, among them the ICO, warned against haste.", "ICO"),
    ("Members from HMRC and the DWP argued that the gateway was needed.", "HMRC"),
    ("The view from the Treasury was that savings came first.", "Treasury"),
    ("Jane, who chairs the network, asked for a vote.", "Jane"),
    ("Priya Hale's team will draft the options.", "Priya Hale"),
    ("The Minister's officials said the Bill was ready.", "Minister"),
    ("Councillor Joan Fry said residents were worried.", "Joan Fry"),
    ("Mr. Okafor disagreed.", "Okafor"),
    ("Sir Humphrey's objection was recorded.", "Sir Humphrey"),
    ("The Which? representative warned about price comparison data.", "Which?"),
    ("The ICO lead offered to review the guidance.", "ICO"),
    ("Tom agreed to draft a note.", "Tom"),
    ("The LGA and COSLA jointly proposed a pilot.", "COSLA"),
    ("The representative of the Welsh Government said the scheme worked.", "Welsh Government"),
    ("Baroness O'Neill's point about trust was widely shared.", "O'Neill"),
    ("Emma from Citizens Advice said claimants were anxious.", "Emma"),
    ("Dr Chen and Dr Ross both argued for a trusted third party.", "Dr Ross"),
    ("Action: the ICO to update its code.", "ICO"),
    ("Action - Marcus to send the figures.", "Marcus"),
    ("The Treasury official, who had joined remotely, asked about costs.", "Treasury"),
    ("The ICO, the Cabinet Office and HMRC all agreed that the code should be statutory.", "ICO"),
    ("Representing the LGA, one member asked for more time.", "LGA"),
    ("Tariq to circulate the revised timetable.", "Tariq"),
]

COMPATIBLE = [
    # The rule's own forms
    "A participant from civil society argued for a public register.",
    "A government participant said the costs were high.",
    "It was argued that consent should be explicit.",
    "One participant felt that the timetable was too short.",
    "Some members warned against function creep.",
    "Several attendees raised the cost of the new system.",
    "Participants from local government disagreed on the timetable.",
    "A view was expressed that the code of practice should be statutory.",
    "Others disagreed.",
    "One member proposed a vote on the options.",
    "Another participant asked who would audit the gateway.",
    "An official said the data was needed for the pilot.",
    "A civil society representative warned about re-identification.",
    "An academic attendee noted that the evidence was thin.",
    "Government officials argued for wider access.",
    "Charities were concerned about the effect on claimants.",
    "Members agreed to circulate the paper before the next meeting.",
    "The group will draft options for a research gateway.",
    "The secretariat will circulate the notes.",
    "Academics cautioned against drawing conclusions too early.",
    "Campaigners felt the powers were too broad.",
    "Attendees welcomed the decision to publish the register.",
    "Everyone agreed that transparency mattered.",
    "There was broad support for a sunset clause.",
    "The network agreed the terms of reference.",
    "Researchers said that access to data took months.",
    "Statisticians warned that linkage errors were common.",
    "Councils said they needed more support.",
    "One participant asked whether the savings were real.",
    "A number of members suggested a pilot in two areas.",
    # Organisations as the subject of discussion
    "Questions were asked about how HMRC data would be protected.",
    "Members noted the ICO's published code.",
    "The group discussed whether the DWP should have access to energy data.",
    "Participants asked how the Home Office would use the data.",
    "Data held by HMRC is covered by strict rules.",
    "The paper describes how the ONS links census records.",
    "Members reviewed the Cabinet Office's consultation proposals.",
    "Concerns were raised about the role of the Treasury.",
    "Several participants asked whether the ICO had the resources to enforce the code.",
    "The group looked at how councils and the NHS share data.",
    "Members compared the approach in Scotland with the approach in England.",
    "The pilot would give the DWP access to energy data.",
    "It was suggested that the ICO should publish guidance.",
    "A register of data shares kept by the Cabinet Office was proposed.",
    "Participants discussed data held by local authorities.",
    "The draft code of practice from the Home Office was circulated before the meeting.",
    "Members read the NAO report on fraud.",
    "Fraud against HMRC costs billions each year.",
    "Access to DVLA records was discussed.",
    "Some members felt that Ofgem should be involved.",
    "The group noted that NHS Digital publishes a register of releases.",
    "The UK Statistics Authority's code of practice was cited.",
    "Members asked whether the LGA had been consulted.",
    "Participants welcomed the Government Digital Service's work on registers.",
    "Members wrote to the Cabinet Office asking for the cost model.",
    "The group agreed to invite the ICO to the next meeting.",
    "Participants from the ICO were thanked for hosting.",
    "Debt owed to HMRC and the DWP was discussed.",
    "The data would be shared between the DWP and energy suppliers.",
    "Members discussed the Welsh Government's fuel poverty scheme.",
    # Laws, places, reports and programmes
    "The Digital Economy Act 2017 created new gateways.",
    "Section 29 of the Data Protection Act 1998 was discussed.",
    "The meeting was held at the Cabinet Office, 70 Whitehall.",
    "The next meeting will be in Leeds.",
    "Members discussed the Caldicott review.",
    "The Caldicott review recommended a new consent model.",
    "The Better Use of Data consultation ran for eight weeks.",
    "Universal Credit will share data with councils.",
    "Tell Us Once was cited as good practice.",
    "The Troubled Families programme shares data with schools.",
    "The Human Rights Act applies to all public bodies.",
    "The White Paper proposed new powers.",
    "The Investigatory Powers Bill was mentioned briefly.",
    "The General Data Protection Regulation will apply from 2018.",
    "The Statistics and Registration Service Act 2007 allows sharing for research.",
    "Members discussed the Open Data Charter.",
    "The Wellcome Trust's report on public attitudes was circulated.",
    "The Edinburgh event was well attended.",
    "Remote participants joined from Cardiff and Belfast.",
    "The group met at the University of Manchester.",
    "Lunch was provided by Involve.",
    "The GOV.UK Verify programme was discussed.",
    "The census in March 2021 was discussed.",
    "The Data Protection Act 2018 replaced the 1998 Act.",
    "Members discussed the Leveson Inquiry.",
    "The Caldicott principles were read out.",
    "Members referred to the Nuffield Council on Bioethics report.",
    "The care.data programme was paused in 2016.",
    "The Edinburgh meeting agreed the purposes for tailored services.",
    "The group agreed the scope of Research & Statistics; Fraud, Error & Debt; and Tailored "
    "Public Services for Individuals.",
    "The joint policy paper will be developed into a White Paper.",
    "The consultation ran from 29 February to 22 April 2016.",
    "The Code of Practice for Official Statistics was discussed.",
    "Members discussed the Troubled Families evaluation.",
    "The Fuel Poverty Strategy for England sets a target for 2030.",
    # People as the subject of discussion, and ordinary capitalised words
    "Members discussed the Minister's announcement.",
    "The group wrote to the Secretary of State.",
    "A letter to Francis Maude was agreed.",
    "The report by Professor Smith was circulated.",
    "The network met the Minister for the Cabinet Office in March 2015.",
    "Members asked the chair to write to the department.",
    "Consent was felt to be essential.",
    "Transparency was welcomed by all.",
    "Trust was described as fragile.",
    "Safeguards should be proportionate to the risk.",
    "Evidence suggested that the risk was low.",
    "Experience shows that pilots are rarely stopped.",
    "On Monday, members agreed the timetable.",
    "In March, participants felt the paper was nearly ready.",
    "Overall, members agreed with the approach.",
    "Finally, participants asked for the evidence to be published.",
    "However, some members disagreed.",
    "Following discussion, the group agreed the options.",
    "Next steps were agreed.",
    "Apologies were received from three members.",
    "Options will be written up for the interim policy paper.",
    "Several participants stressed that documents should be open by default.",
    "Working groups will be set up for each strand.",
    "The terms of reference agreed on 11 March 2014 apply to everyone taking part.",
    "Participants described long delays in agreeing access to administrative data.",
    # Harder cases: names and bodies near verbs, plural nouns, nationalities, documents
    "Members thanked the Minister for attending.",
    "The Minister for the Cabinet Office, Francis Maude, will attend the next meeting.",
    "Members discussed Dame Fiona Caldicott's recommendations.",
    "The paper was written by Involve and the Cabinet Office.",
    "The ICO published its code in 2011.",
    "HMRC holds data on every taxpayer.",
    "Local authorities told the group about delays.",
    "Public bodies said they lacked legal clarity.",
    "Civil society organisations argued for a register.",
    "Government departments and agencies felt the gateway was needed.",
    "Several councils, including Leeds and Bristol, asked for guidance.",
    "Data sharing between HMRC and the DWP was discussed.",
    "Participants discussed how Scotland, Wales and Northern Ireland would take part.",
    "Welsh participants said the scheme worked well.",
    "English councils were represented.",
    "The Treasury Green Book was cited.",
    "The representatives from each strand summarised their discussions.",
    "Officials from several departments attended.",
    "The group asked HMRC for figures on debt.",
    "Members asked HMRC to share figures on debt.",
    "A presentation on the DWP's fraud data was given.",
    "The ICO's Anonymisation Code was recommended reading.",
    "Members welcomed the Royal Statistical Society's data manifesto.",
    "The Open Data Institute hosted the meeting.",
    "Thanks to Involve for organising the meeting.",
    "Involve will be responsible for engaging civil society.",
    "Members discussed the Scottish Government's approach to data linkage.",
    "Members considered evidence from the ONS on linkage quality.",
    "A briefing from the ONS on linkage quality was circulated.",
    "The group agreed that Ofwat and Ofgem should be consulted.",
    "Members asked whether Ofgem would share smart meter data.",
    "The Birmingham event was held at the Library of Birmingham.",
    "Participants in Belfast raised the role of NISRA.",
    "April's meeting will review the draft code.",
    "Members discussed what the Information Commissioner had said about consent.",
    "Some members felt the Minister should be asked to respond.",
    "The group hoped the Minister would attend.",
    "Attendees were reminded of the Chatham House Rule.",
    "Re-identification remained the main concern.",
    "Energy suppliers argued that automatic discounts were workable.",
    "Registrars said the change would be simple.",
    "Lenders said that credit data was already shared.",
    "Landlords warned that tenants would be confused.",
    "Teachers and social workers need access, some members argued.",
    "A paper by Dr Helen Price was circulated.",
    "Work by the Ada Lovelace Institute was cited.",
    "A letter from the Minister was read out.",
    "The DWP-led pilot was discussed.",
    "An HMRC-funded study was cited.",
    "The Leeds meeting agreed to meet again.",
    "Members read Professor Green's paper before the meeting.",
    "The group thanked Dr Ruth Evans for hosting.",
    "Facebook and Google were cited as examples.",
    "Mr Justice Cobb's judgment was discussed.",
]


def check(sentence: str) -> list[Finding]:
    return find_attributions(sentence, ATTENDEES, DATABASE_ORGANISATIONS)


def test_corpus_has_at_least_a_hundred_sentences_of_each_kind():
    assert len(ATTRIBUTED) >= 100
    assert len(COMPATIBLE) >= 100
    sentences = [s for s, _ in ATTRIBUTED] + COMPATIBLE
    assert len(set(sentences)) == len(sentences), "a sentence is listed twice"


def test_every_attributed_sentence_is_flagged_for_its_agent():
    missed = [
        (sentence, agent)
        for sentence, agent in ATTRIBUTED
        if not any(agent in finding.words for finding in check(sentence))
    ]
    recall = 1 - len(missed) / len(ATTRIBUTED)
    assert recall == 1.0, missed


def test_false_alarms_on_compatible_sentences_stay_at_or_below_ten_percent():
    alarms = [(sentence, check(sentence)) for sentence in COMPATIBLE]
    alarms = [(sentence, findings) for sentence, findings in alarms if findings]
    rate = len(alarms) / len(COMPATIBLE)
    assert rate <= 0.10, alarms


def test_words_are_quoted_from_the_sentence_that_names_the_agent():
    for sentence, _ in ATTRIBUTED:
        findings = check(sentence)
        assert findings, sentence
        for finding in findings:
            assert finding.sentence == sentence
            assert finding.words and finding.words in sentence, finding


def test_the_corpus_as_one_text_gives_each_sentence_its_own_findings():
    text = "\n".join(sentence for sentence, _ in ATTRIBUTED)
    findings = find_attributions(text, ATTENDEES, DATABASE_ORGANISATIONS)
    assert {f.sentence for f in findings} == {sentence for sentence, _ in ATTRIBUTED}
    for finding in findings:
        assert finding.words in finding.sentence
    for sentence, agent in ATTRIBUTED:
        assert any(f.sentence == sentence and agent in f.words for f in findings), sentence
