"""Names and words the Chatham House checker knows, kept apart from its rules so a convenor
(or a reviewer) can read what it recognises, and add to it, without reading code.

Each body is written `Full name | alias | ACRONYM`: the first name is the label a finding
shows; every alias is matched too. An alias written in capitals (or mixed case such as DfE)
only matches as written, so "co" or "nice" in ordinary prose is never taken for a body.
The lists are of public bodies and well-known organisations as they are named in
government and civil society notes; bodies renamed over the years keep every name.
"""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """A set of words written as running text, one or more to a line."""
    return frozenset(text.split())


# --- Organisations ----------------------------------------------------------------------

# Ministerial and non-ministerial departments, executive agencies, regulators, public
# bodies, devolved governments, the NHS and local government's own bodies.
PUBLIC_BODIES = (
    # Ministerial departments and offices
    "Cabinet Office | CO",
    "HM Treasury | Her Majesty's Treasury | Treasury | HMT",
    "Home Office | HO",
    "Foreign and Commonwealth Office | FCO",
    "Foreign, Commonwealth and Development Office | Foreign Office | FCDO",
    "Ministry of Defence | MOD | MoD",
    "Ministry of Justice | MOJ | MoJ",
    "Department for Work and Pensions | DWP",
    "Department for Education | DfE | DFE",
    "Department of Health | DH | DoH",
    "Department of Health and Social Care | DHSC",
    "Department for Business, Innovation and Skills | BIS",
    "Department for Business, Energy and Industrial Strategy | BEIS",
    "Department for Business and Trade | DBT",
    "Department for Communities and Local Government | DCLG",
    "Ministry of Housing, Communities and Local Government | MHCLG",
    "Department for Levelling Up, Housing and Communities | DLUHC",
    "Department for Culture, Media and Sport | DCMS",
    "Department for Digital, Culture, Media and Sport",
    "Department for Environment, Food and Rural Affairs | Defra | DEFRA",
    "Department for Transport | DfT | DFT",
    "Department of Energy and Climate Change | DECC",
    "Department for Energy Security and Net Zero | DESNZ",
    "Department for International Development | DFID | DfID",
    "Department for International Trade | DIT",
    "Department for Science, Innovation and Technology | DSIT",
    "Department for Exiting the European Union | DExEU",
    "Northern Ireland Office | NIO",
    "Scotland Office | Office of the Secretary of State for Scotland",
    "Wales Office | Office of the Secretary of State for Wales",
    "Attorney General's Office | AGO",
    "Prime Minister's Office | Number 10 | No 10 | Downing Street",
    "Privy Council Office",
    "Government Digital Service | GDS",
    "Government Legal Department | Treasury Solicitor's Department | GLD",
    "Government Actuary's Department | GAD",
    "Central Digital and Data Office | CDDO",
    "Crown Commercial Service | CCS",
    "Infrastructure and Projects Authority",
    "Government Internal Audit Agency | GIAA",
    # Non-ministerial departments, agencies and public bodies
    "HM Revenue and Customs | Her Majesty's Revenue and Customs | HMRC",
    "Office for National Statistics | ONS",
    "UK Statistics Authority | Statistics Authority | UKSA",
    "Office for Statistics Regulation | OSR",
    "Charity Commission | Charity Commission for England and Wales",
    "Companies House",
    "Competition and Markets Authority | CMA",
    "Crown Prosecution Service | CPS",
    "Serious Fraud Office | SFO",
    "Food Standards Agency | FSA",
    "Forestry Commission",
    "HM Land Registry | Land Registry",
    "The National Archives | National Archives | TNA",
    "National Crime Agency | NCA",
    "National Savings and Investments | NS&I",
    "Ofgem | Office of Gas and Electricity Markets",
    "Ofqual",
    "Ofsted",
    "Ofwat",
    "Ofcom",
    "Office of Rail and Road | ORR",
    "UK Export Finance | UKEF",
    "Driver and Vehicle Licensing Agency | DVLA",
    "Driver and Vehicle Standards Agency | DVSA",
    "HM Passport Office | Passport Office | HMPO",
    "UK Visas and Immigration | UKVI",
    "Border Force",
    "Student Loans Company | SLC",
    "Valuation Office Agency | VOA",
    "Insolvency Service",
    "Met Office",
    "Ordnance Survey | OS",
    "HM Courts and Tribunals Service | HMCTS",
    "HM Prison and Probation Service | HMPPS",
    "National Offender Management Service | NOMS",
    "Legal Aid Agency | LAA",
    "Office of the Public Guardian | OPG",
    "Child Maintenance Service",
    "Jobcentre Plus | JCP",
    "Health and Safety Executive | HSE",
    "Environment Agency",
    "Natural England",
    "Historic England",
    "Arts Council England",
    "UK Research and Innovation | UKRI",
    "Economic and Social Research Council | ESRC",
    "Medical Research Council | MRC",
    "Administrative Data Research Network | ADRN",
    "Administrative Data Research UK | ADR UK",
    "UK Data Service",
    "Office for Budget Responsibility | OBR",
    "National Audit Office | NAO",
    "Audit Commission",
    "Audit Scotland",
    "Audit Wales | Wales Audit Office",
    "Information Commissioner's Office | ICO",
    "Financial Conduct Authority | FCA",
    "Prudential Regulation Authority | PRA",
    "Bank of England | BoE",
    "Care Quality Commission | CQC",
    "Equality and Human Rights Commission | EHRC",
    "Electoral Commission",
    "Investigatory Powers Commissioner's Office | IPCO",
    "Biometrics Commissioner",
    "Government Data Quality Hub",
    "Office of the Children's Commissioner | Children's Commissioner",
    "Local Government and Social Care Ombudsman | Local Government Ombudsman",
    "Parliamentary and Health Service Ombudsman | PHSO",
    "Financial Ombudsman Service | FOS",
    "Money Advice Service | MAS",
    "Money and Pensions Service | MaPS",
    "The Pensions Regulator | Pensions Regulator | TPR",
    "Social Security Advisory Committee | SSAC",
    "Office for Students | OfS",
    "Higher Education Funding Council for England | HEFCE",
    "Higher Education Statistics Agency | HESA",
    "Universities and Colleges Admissions Service | UCAS",
    "Disclosure and Barring Service | DBS",
    "Metropolitan Police Service | Metropolitan Police | Met Police",
    "Police Scotland",
    "Police Service of Northern Ireland | PSNI",
    "National Police Chiefs' Council | NPCC",
    "Association of Chief Police Officers | ACPO",
    "College of Policing",
    "House of Commons",
    "House of Lords",
    "Public Accounts Committee | PAC",
    "Science and Technology Committee",
    # Health and care
    "NHS England | NHSE",
    "NHS Digital",
    "NHS Improvement",
    "NHS Scotland",
    "NHS Wales",
    "NHS Business Services Authority | NHSBSA",
    "National Health Service | NHS",
    "Health and Social Care Information Centre | HSCIC",
    "Health Research Authority | HRA",
    "Medicines and Healthcare products Regulatory Agency | MHRA",
    "National Institute for Health and Care Excellence | NICE",
    "Public Health England | PHE",
    "UK Health Security Agency | UKHSA",
    "Public Health Scotland",
    "Public Health Wales",
    "Care Inspectorate",
    "General Medical Council | GMC",
    "British Medical Association | BMA",
    "Royal College of General Practitioners | RCGP",
    # Devolved governments, legislatures and their statisticians
    "Scottish Government | Scottish Executive",
    "Welsh Government | Welsh Assembly Government | Llywodraeth Cymru",
    "Northern Ireland Executive",
    "Scottish Parliament",
    "Senedd | National Assembly for Wales | Welsh Assembly",
    "Northern Ireland Assembly",
    "National Records of Scotland | NRS",
    "Northern Ireland Statistics and Research Agency | NISRA",
    "Registers of Scotland",
    "Revenue Scotland",
    "Welsh Revenue Authority",
    "Social Security Scotland",
    "General Register Office | GRO",
    # Local government's own bodies
    "Local Government Association | LGA",
    "Welsh Local Government Association | WLGA",
    "Convention of Scottish Local Authorities | COSLA",
    "Society of Local Authority Chief Executives | SOLACE | Solace",
    "London Councils",
    "Greater London Authority | GLA",
    "Core Cities",
    "District Councils' Network | DCN",
    "County Councils Network | CCN",
    "Association of Directors of Adult Social Services | ADASS",
    "Association of Directors of Children's Services | ADCS",
    "Society of IT Management | Socitm",
    "Local Government Information Unit | LGIU",
    "Improvement Service",
)

# Civil society, research and professional bodies that take part in open policy making,
# including names no rule could guess ("Which?", "medConfidential", "Liberty").
CIVIL_SOCIETY = (
    "Involve",
    "Which?",
    "medConfidential",
    "Liberty",
    "Big Brother Watch | BBW",
    "Privacy International",
    "Open Rights Group | ORG",
    "Citizens Advice",
    "Citizens Advice Scotland",
    "StepChange | StepChange Debt Charity",
    "National Energy Action | NEA",
    "Energy Saving Trust",
    "Age UK",
    "Shelter",
    "Crisis",
    "Turn2us",
    "Child Poverty Action Group | CPAG",
    "Joseph Rowntree Foundation | JRF",
    "Resolution Foundation",
    "Institute for Government | IfG",
    "Institute for Fiscal Studies | IFS",
    "Nuffield Trust",
    "Nuffield Council on Bioethics",
    "Nuffield Foundation",
    "The King's Fund | King's Fund",
    "The Health Foundation | Health Foundation",
    "Wellcome Trust | Wellcome",
    "Understanding Patient Data",
    "Patients Association",
    "Healthwatch England | Healthwatch",
    "National Council for Voluntary Organisations | NCVO",
    "Open Data Institute | ODI",
    "Ada Lovelace Institute",
    "Alan Turing Institute | Turing Institute",
    "Royal Statistical Society | RSS",
    "Royal Society",
    "British Academy",
    "Law Society",
    "Full Fact",
    "mySociety",
    "Doteveryone",
    "Nesta",
    "Demos",
    "Reform",
    "Institute for Public Policy Research | IPPR",
    "Carnegie UK Trust | Carnegie UK",
    "Macmillan Cancer Support | Macmillan",
    "Mind",
    "Scope",
    "Barnardo's",
    "The Children's Society | Children's Society",
    "Toynbee Hall",
    "Law Centres Network",
    "Public Law Project",
    "JUSTICE",
    "Amnesty International UK | Amnesty International | Amnesty",
    "Open Knowledge Foundation | Open Knowledge",
    "Future Care Capital",
    "techUK",
    "Confederation of British Industry | CBI",
    "Trades Union Congress | TUC",
    "Market Research Society | MRS",
    "Federation of Small Businesses | FSB",
    "Experian",
    "Equifax",
    "TransUnion | Callcredit",
)

# --- People: titles, roles and participants ---------------------------------------------

# Written before a name; a title makes any capitalised word after it a person.
TITLES = word_set(
    "mr mrs ms miss mx dr prof professor sir dame lord lady baroness baron viscount earl "
    "rev revd reverend cllr councillor rt hon right honourable judge justice"
)
# Written after a name ("Jane Doe MP").
POST_NOMINALS = word_set("mp msp ms mla am mep qc kc obe mbe cbe dbe frs phd")

# Roles that identify one person when written with "the" (or "our", "their", a possessive):
# "the Minister said". Longest first is not needed: the checker prefers the longest match.
ROLES = (
    "minister",
    "minister of state",
    "secretary of state",
    "permanent secretary",
    "cabinet secretary",
    "secretary",
    "private secretary",
    "special adviser",
    "adviser",
    "advisor",
    "chair",
    "co-chair",
    "vice-chair",
    "chairman",
    "chairwoman",
    "chairperson",
    "convenor",
    "convener",
    "co-convenor",
    "director",
    "director general",
    "deputy director",
    "chief executive",
    "chief executive officer",
    "chief operating officer",
    "chief data officer",
    "chief digital officer",
    "chief information officer",
    "chief technology officer",
    "chief scientific adviser",
    "chief medical officer",
    "chief statistician",
    "national statistician",
    "registrar general",
    "information commissioner",
    "commissioner",
    "national data guardian",
    "caldicott guardian",
    "data protection officer",
    "senior responsible owner",
    "ceo",
    "cdo",
    "cto",
    "cio",
    "dpo",
    "sro",
    "head",
    "official",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "representative",
    "rep",
    "delegate",
    "lead",
    "host",
    "facilitator",
    "speaker",
    "presenter",
    "rapporteur",
    "note-taker",
    "regulator",
    "ombudsman",
    "mp",
    "councillor",
    "clerk",
)

# Nouns for one or more people, which a name or an organisation can qualify: "the DWP
# representative", "Home Office officials", "a participant from the ICO".
PARTICIPANT_NOUNS = word_set(
    "participant participants member members attendee attendees delegate delegates "
    "colleague colleagues official officials representative representatives rep reps "
    "spokesperson staff team officer officers adviser advisers advisor advisors people "
    "person speaker speakers contributor contributors presenter presenters lead leads "
    "researcher researchers analyst analysts statistician statisticians lawyer lawyers "
    "expert experts contingent delegation side someone somebody one those guest guests "
    "director chair head minister commissioner"
)

# --- Words that are capitalised but are nobody ------------------------------------------

# Words that begin sentences, or are capitalised mid-sentence, without naming anyone.
# A capitalised run that starts with them is read from the next word on. (April, May,
# June and August are left out: they are names too, and a month never speaks.)
COMMON_CAPITALS = word_set(
    """
    a an the this that these those it its there here they them their we our us you your
    he she his her i one two three four five six several some many most more all both
    each every either neither few other others another any no none nobody everyone according
    everybody someone somebody anyone whoever
    in on at of for from to by with without about after before during since until while
    when where why how what which who whom whose whether if although though because as
    and but or nor so yet then also however therefore thus overall finally first second
    third next lastly meanwhile instead otherwise again further furthermore moreover
    similarly likewise nonetheless nevertheless still indeed generally broadly separately
    later earlier previously subsequently following given under over between within
    across against towards regarding concerning including per via representing speaking
    responding turning noting reflecting commenting looking
    yes not please thanks thank
    participants participant members member attendees attendee delegates colleagues
    officials government governments departments department ministers civil society
    charities charity campaigners academics academic researchers experts
    respondents speakers practitioners statisticians analysts lawyers clinicians doctors
    patients citizens users residents people public councils authorities regulators
    agencies bodies organisations organizations groups group network panel committee
    board secretariat team staff volunteers advocates activists employers landlords
    suppliers providers partners stakeholders contributors commentators observers
    ngos ngo csos cso smes sme las vcs vcse gps mps
    registrars lenders banks insurers creditors claimants tenants parents carers families
    households consumers customers taxpayers teachers nurses schools hospitals trusts
    universities colleges businesses companies firms funders auditors inspectors police
    officers developers vendors journalists peers politicians voters
    pharmacists midwives scientists economists students pupils trustees directors managers
    caseworkers advisers advisors engineers technologists designers applicants recipients
    beneficiaries pensioners veterans migrants refugees victims offenders prisoners owners
    householders borrowers debtors retailers commissioners women men
    older children
    english scottish welsh irish british northern southern
    local central national regional devolved international european global
    evidence research experience history analysis data feedback polling survey surveys
    consensus discussion debate literature practice testing work modelling figures
    findings results trials pilots pilot options questions question concerns concern
    views view issues issue points point comments comment proposals proposal
    agenda background context purpose attendance apologies decisions decision actions
    action item items note notes update updates summary outcome outcomes minutes papers
    paper introduction present presentation presentations aob venue date time location
    risks recommendations recommendation steps welcome introductions close
    january february march july september october november december
    monday tuesday wednesday thursday friday saturday sunday
    """
)

# Words that end the name of a law, a report, a programme or a document: "the Digital
# Economy Act 2017", "the Caldicott review", "the Better Use of Data consultation".
DOCUMENT_NOUNS = word_set(
    """
    act acts bill bills regulation regulations order orders directive convention code codes
    review reviews report reports inquiry inquiries paper papers strategy strategies
    programme programmes framework frameworks guidance principle principles consultation
    consultations charter manifesto plan plans agreement agreements standard standards
    protocol scheme schemes rule rules statement statements notice register registers
    pilot pilots project projects study studies survey census bulletin handbook toolkit
    checklist dataset datasets amendment clause section schedule article articles
    judgment ruling roadmap
    """
)

# Last words that make a capitalised run an organisation: "Nuffield Trust", "Leeds City
# Council", "University of Manchester", "Carnegie UK".
ORGANISATION_HEADS = word_set(
    """
    trust foundation institute institution council university college society group
    association network alliance forum coalition partnership centre center commission
    authority agency service office department ministry board committee federation union
    congress confederation campaign lab labs ltd limited plc llp cic inc consortium unit
    bureau executive inspectorate ombudsman watch advice aid care charity fund bank company
    hospital school library panel observatory initiative international partners associates
    consulting government parliament assembly court tribunal police constabulary
    directorate uk cymru
    """
)

# Places that meetings are held in or that notes mention; never a speaker on their own.
# Places that are also common surnames (Preston, York, Kent, Hall) are left out: a
# surname that speaks matters more than a place that never does.
PLACES = word_set(
    """
    uk britain england scotland wales cymru ireland london leeds manchester birmingham
    cardiff edinburgh glasgow belfast bristol liverpool newcastle sheffield nottingham
    leicester southampton brighton oxford cambridge bradford coventry plymouth exeter
    norwich aberdeen dundee swansea newport inverness sunderland middlesbrough blackpool
    salford wolverhampton whitehall westminster holborn southwark lambeth islington
    hackney croydon holyrood stormont europe midlands yorkshire humber lancashire essex
    surrey sussex
    """
)
# Words that make part of a place's name ("North Wales", "Greater Manchester"), never one
# on their own: "West said" is a person.
PLACE_QUALIFIERS = word_set(
    "north south east west northern southern eastern western central greater"
)

# Capitalised acronyms that name a law, a benefit or a thing, not a body.
NON_AGENT_ACRONYMS = word_set(
    """
    GDPR UKGDPR DPA FOI FOIA FOISA EIR PECR RIPA ECHR DEA UK GB US USA NI
    NINO AOB TOR TORS FAQ PIA DPIA API IT ID PDF URL CSV AI ML GP OK TBC TBD NB PS AM PM
    VAT PAYE RTI UC JSA ESA PIP DLA HB CTR SME SMES NGO NGOS CSO CSOS VCS VCSE LA LAS
    MP MPS QC KC OBE MBE CBE PHD BSC MSC CEO CTO CIO CDO DPO SRO
    """
)

# Named things that look like names: programmes, services and laws without a noun after.
NAMED_THINGS = (
    "Universal Credit",
    "Tell Us Once",
    "Troubled Families",
    "Making Tax Digital",
    "GOV.UK Verify",
    "GOV.UK",
    "care.data",
    "Better Use of Data",
    "Research and Statistics",
    "Fraud, Error and Debt",
    "Tailored Public Services",
    "Brexit",
    "Freedom of Information",
    "Data Protection",
    "Digital Economy",
    "Human Rights",
)

# What people type in an organisation field that is not an organisation.
NOT_ORGANISATIONS = frozenset(
    {
        "none",
        "n/a",
        "na",
        "independent",
        "self",
        "self-employed",
        "retired",
        "freelance",
        "individual",
        "private individual",
        "member of the public",
        "citizen",
        "student",
    }
)
# Left out of an organisation's name and initials: "Office for National Statistics" -> ONS.
COMPANY_SUFFIXES = word_set("ltd limited plc llp cic inc")
SKIPPED_IN_INITIALS = word_set("of for and the & in on to at a")

# Given names and surnames that are also ordinary words: an attendee's name made of them
# only matches when written with a capital ("Will said", not "we will").
ORDINARY_WORD_NAMES = word_set(
    """
    will may grace mark rose hope faith joy bill frank june april august sue pat dawn rich
    art king young white black green brown long hall wood bell ward rice lee page chase
    reading involve open data policy office said mason cook baker carpenter victoria
    sterling summer winter ray guy glen dean don drew sky
    """
)
