"""The demo region's content: invented organisations, people, and improvement work.

Everything here is invented: the places (North Vale, Eastmoor, Wyndham), the organisations,
their ODS-like codes (all starting with Z, which no real organisation has) and the people.
The topics and methods are real ones, so the region reads true to an ICS lead.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Org:
    key: str
    name: str
    ods: str | None
    domain: str
    kind: (
        str  # acute, community, icb, county, district, charity, gpfed, university, region, training
    )


ORGS = {
    org.key: org
    for org in [
        Org(
            "nv-hospitals",
            "North Vale Hospitals NHS Foundation Trust",
            "ZNV01",
            "nv-hospitals.example",
            "acute",
        ),
        Org(
            "nv-community",
            "North Vale Community and Mental Health NHS Trust",
            "ZNV02",
            "nv-community.example",
            "community",
        ),
        Org("nv-icb", "NHS North Vale Integrated Care Board", "ZNV03", "nv-icb.example", "icb"),
        Org("nv-county", "North Vale County Council", None, "northvale-county.example", "county"),
        Org("nv-gpfed", "North Vale GP Federation", "ZNV04", "nv-gpfed.example", "gpfed"),
        Org("wyndham-carers", "Wyndham Carers Network", None, "wyndham-carers.example", "charity"),
        Org(
            "em-hospitals",
            "Eastmoor and Wyndham Hospitals NHS Trust",
            "ZEM01",
            "ew-hospitals.example",
            "acute",
        ),
        Org(
            "em-icb",
            "NHS Eastmoor and Wyndham Integrated Care Board",
            "ZEM02",
            "ew-icb.example",
            "icb",
        ),
        Org(
            "em-district",
            "Eastmoor District Council",
            None,
            "eastmoor-district.example",
            "district",
        ),
        Org("em-university", "University of Eastmoor", None, "eastmoor-uni.example", "university"),
        Org(
            "vale-collaborative",
            "Vale and Moor Improvement Collaborative",
            "ZRG01",
            "valemoor-collaborative.example",
            "region",
        ),
        Org(
            "skills-academy",
            "Improvement Skills Academy",
            None,
            "skills-academy.example",
            "training",
        ),
    ]
}

PLACES = {
    "nv": ["Ashby Cross", "Harlow Fen", "Kettleby", "Marston Vale", "Oakridge", "North Vale"],
    "em": ["Eastmoor", "Wyndham", "Brackenfield", "Stoneleigh Moor", "Fellgate"],
}
WARDS = [
    "Heron Ward",
    "Kestrel Ward",
    "Ward 7 (care of older people)",
    "Ward 12 (stroke)",
    "the Acute Medical Unit",
    "the Emergency Department",
    "Larch Ward",
    "Willow Ward",
    "the surgical assessment unit",
    "Rowan Ward (orthopaedics)",
]

FIRST = [
    "Amara",
    "Ben",
    "Catrin",
    "Dev",
    "Eilidh",
    "Femi",
    "Grace",
    "Hamza",
    "Isla",
    "Jonah",
    "Kavita",
    "Liam",
    "Maya",
    "Nadia",
    "Owen",
    "Priya",
    "Quentin",
    "Rhiannon",
    "Samir",
    "Tess",
    "Uche",
    "Vikram",
    "Wen",
    "Yasmin",
    "Zofia",
    "Aled",
    "Bethan",
    "Cormac",
    "Delyth",
    "Emeka",
    "Farah",
    "Gareth",
    "Hollie",
    "Imran",
    "Jess",
    "Kemi",
    "Lowri",
    "Marek",
    "Niamh",
    "Ola",
    "Petra",
    "Rahul",
    "Siobhan",
    "Tariq",
    "Ursula",
    "Val",
    "Wiktor",
    "Ximena",
    "Yusuf",
    "Zara",
]
LAST = [
    "Ashdown",
    "Brightwell",
    "Carrow",
    "Dunmore",
    "Elswick",
    "Fairbairn",
    "Garside",
    "Holloway",
    "Ingleby",
    "Jessop",
    "Kilbride",
    "Lennox",
    "Marchant",
    "Northcott",
    "Okafor",
    "Pennington",
    "Quarrie",
    "Redfern",
    "Salter",
    "Thorne",
    "Umerji",
    "Varley",
    "Whitlock",
    "Yardley",
    "Zielinska",
    "Achebe",
    "Bhattacharya",
    "Castellano",
    "Driscoll",
    "Evanson",
    "Fenwick",
    "Gallacher",
    "Hussain",
    "Iqbal",
    "Jablonski",
    "Kowalczyk",
    "Lindqvist",
    "Mbeki",
    "Nakamura",
    "Oyelaran",
    "Prendergast",
    "Rasmussen",
    "Sokolova",
    "Tremayne",
]

ROLES = {
    "acute": [
        "Consultant geriatrician",
        "Ward sister",
        "Quality improvement lead",
        "Matron",
        "Consultant in emergency medicine",
        "Patient safety specialist",
        "Staff nurse",
        "Physiotherapist",
        "Deputy chief nurse",
        "Improvement coach",
        "Pharmacist",
    ],
    "community": [
        "Community matron",
        "Tissue viability nurse",
        "Crisis team manager",
        "Clinical psychologist",
        "Occupational therapist",
        "QI facilitator",
        "District nurse team leader",
        "Mental health nurse practitioner",
    ],
    "icb": [
        "Head of quality",
        "Population health analyst",
        "Programme manager",
        "Medicines optimisation pharmacist",
        "Clinical director",
        "Transformation lead",
    ],
    "gpfed": [
        "GP partner",
        "Social prescribing link worker",
        "Practice nurse",
        "Clinical pharmacist",
        "PCN manager",
        "Care coordinator",
        "Health and wellbeing coach",
    ],
    "university": [
        "Professor of improvement science",
        "Senior lecturer in nursing",
        "Research fellow",
        "Honorary clinical lecturer",
        "Doctoral researcher",
    ],
    "region": [
        "Improvement adviser",
        "Patient safety collaborative lead",
        "Head of evaluation",
        "Spread and adoption manager",
        "Clinical lead",
    ],
}


@dataclass(frozen=True)
class Idea:
    """One kind of improvement work, worded as a partner would word it."""

    topics: tuple[str, ...]
    titles: tuple[str, ...]
    aim: str
    methods: tuple[str, ...]
    mode: str
    kinds: tuple[str, ...]  # which kinds of organisation do this work
    resources: tuple[str, ...] = field(default=())


ACUTE = ("acute",)
COMMUNITY = ("community",)
SYSTEM = ("icb", "region")
COUNCIL = ("county", "district")

IDEAS = [
    Idea(
        ("Falls prevention", "Care of older people"),
        (
            "Lying and standing blood pressure on {ward}",
            "Falls huddles after every fall on {ward}",
            "Safer mobility: reducing inpatient falls on {ward}",
        ),
        "Reduce inpatient falls per 1,000 occupied bed days on {ward} by 25% within 12 months.",
        ("PDSA", "SPC charts", "Driver diagram"),
        "iterative_qi",
        ACUTE,
        ("Falls huddle prompt card", "Lying and standing BP: a how-to"),
    ),
    Idea(
        ("Falls", "Care homes"),
        ("Post-fall review in {place} care homes", "Strength and balance classes in {place}"),
        "Cut ambulance call-outs for falls from care homes in {place} by a fifth.",
        ("PDSA", "Process mapping"),
        "pathway_transformation",
        ("community", "county", "gpfed"),
    ),
    Idea(
        ("Sepsis", "Deteriorating patient"),
        ("Sepsis screening at triage in {ward}", "Timely antibiotics for red-flag sepsis"),
        "95% of patients with red-flag sepsis receive antibiotics within one hour of arrival.",
        ("PDSA", "SPC charts", "Model for Improvement"),
        "iterative_qi",
        ACUTE,
        ("Sepsis six audit tool",),
    ),
    Idea(
        ("Deteriorating patient", "NEWS2"),
        ("NEWS2 escalation on {ward}", "Recognising deterioration in care homes with RESTORE2"),
        "Every NEWS2 score of 5 or more is escalated and reviewed within 30 minutes.",
        ("PDSA", "Run charts", "Human factors"),
        "iterative_qi",
        ("acute", "community", "region"),
        ("RESTORE2 training slides",),
    ),
    Idea(
        ("Discharge", "Patient flow"),
        (
            "Criteria-led discharge on {ward}",
            "Discharge before noon on {ward}",
            "Home First: discharge to assess in {place}",
        ),
        "Increase the share of patients discharged before midday to 35%.",
        ("Lean", "Process mapping", "Value stream mapping"),
        "operating_model_change",
        ("acute", "community", "county"),
    ),
    Idea(
        ("Frailty",),
        ("Frailty same-day emergency care", "Proactive frailty reviews in {place}"),
        "Identify moderate and severe frailty early and offer a comprehensive geriatric "
        "assessment within 14 days.",
        ("Process mapping", "Driver diagram", "Experience-based co-design"),
        "pathway_transformation",
        ("acute", "gpfed", "community"),
        ("Clinical frailty scale quick guide",),
    ),
    Idea(
        ("Pressure ulcers",),
        ("SSKIN bundle on {ward}", "Heel protection for hip fracture patients"),
        "Reduce category 2+ hospital-acquired pressure ulcers by 30% this year.",
        ("PDSA", "SPC charts", "Safety cross"),
        "iterative_qi",
        ("acute", "community"),
        ("SSKIN bundle poster",),
    ),
    Idea(
        ("Medicines safety",),
        (
            "Structured medication reviews for people on 10+ medicines",
            "Reducing omitted time-critical medicines on {ward}",
        ),
        "Halve omitted doses of time-critical medicines, including Parkinson's medicines.",
        ("PDSA", "Audit and feedback"),
        "iterative_qi",
        ("acute", "gpfed", "icb"),
    ),
    Idea(
        ("Mental health crisis",),
        (
            "Crisis café in {place}",
            "Street triage with police in {place}",
            "24/7 mental health crisis line",
        ),
        "Reduce mental health attendances at ED by offering a non-clinical alternative.",
        ("Experience-based co-design", "Process mapping"),
        "pathway_transformation",
        ("community", "district", "charity"),
        ("Crisis café evaluation summary",),
    ),
    Idea(
        ("Social prescribing", "Loneliness"),
        ("Social prescribing for loneliness in {place}", "Green social prescribing in {place}"),
        "Connect 400 people a year to community groups and measure wellbeing with ONS4.",
        ("Experience-based co-design", "Theory of change"),
        "spread_innovation",
        ("gpfed", "charity", "county", "district"),
    ),
    Idea(
        ("Health inequalities", "Core20PLUS5"),
        (
            "Hypertension case-finding in {place}",
            "Warm homes on prescription in {place}",
            "Reducing did-not-attend rates in our most deprived neighbourhoods",
        ),
        "Narrow the gap in blood pressure control between the most and least deprived "
        "quintiles by half.",
        ("Population health management", "Driver diagram", "SPC charts"),
        "operating_model_change",
        ("icb", "county", "district", "gpfed", "region"),
        ("Core20PLUS5 explainer",),
    ),
    Idea(
        ("Staff wellbeing",),
        ("Wellbeing huddles on {ward}", "Schwartz rounds", "Rest spaces for night staff"),
        "Improve the staff survey score for 'I feel supported' by 10 points.",
        ("Experience-based co-design", "Staff survey"),
        "operating_model_change",
        ("acute", "community", "icb"),
        ("Leading a wellbeing huddle",),
    ),
    Idea(
        ("Virtual wards", "Frailty"),
        ("Frailty virtual ward in {place}", "Respiratory virtual ward"),
        "Run a 40-bed virtual ward at 80% occupancy with fewer than 10% readmissions.",
        ("Lean", "Process mapping", "SPC charts"),
        "operating_model_change",
        ("acute", "community", "icb"),
    ),
    Idea(
        ("Unpaid carers", "Discharge"),
        ("Carers in the discharge conversation", "Carer passports on {ward}"),
        "Every unpaid carer is identified and involved before the person they care for goes home.",
        ("Experience-based co-design", "PDSA"),
        "spread_innovation",
        ("charity", "acute", "county"),
        ("Carer passport toolkit",),
    ),
    Idea(
        ("Delirium", "Dementia"),
        ("4AT delirium screening on {ward}", "Dementia-friendly ward environment"),
        "Screen 90% of over-65s for delirium within 24 hours of admission.",
        ("PDSA", "Run charts"),
        "iterative_qi",
        ("acute", "community", "university"),
    ),
    Idea(
        ("Nutrition and hydration",),
        ("Protected mealtimes on {ward}", "Hydration stations in {place} care homes"),
        "Reduce hospital-acquired acute kidney injury linked to poor hydration.",
        ("PDSA", "Audit and feedback"),
        "iterative_qi",
        ("acute", "community", "county"),
    ),
    Idea(
        ("Diabetes", "Long-term conditions"),
        ("Type 2 diabetes remission programme in {place}", "Diabetes foot checks in primary care"),
        "Increase the share of people with diabetes getting all eight care processes to 60%.",
        ("Population health management", "PDSA"),
        "pathway_transformation",
        ("gpfed", "icb", "university"),
    ),
    Idea(
        ("Smoking cessation", "Maternity"),
        ("Smoke-free pregnancies in {place}", "Tobacco dependence treatment on admission"),
        "Offer every smoker admitted to hospital a tobacco dependence adviser within 24 hours.",
        ("Driver diagram", "SPC charts"),
        "spread_innovation",
        ("acute", "county", "region"),
    ),
    Idea(
        ("Improvement capability", "Quality improvement"),
        (
            "QI bronze for every new starter",
            "Improvement coaching network",
            "Building an improvement faculty",
        ),
        "Train 500 staff in improvement basics and support 40 coached projects a year.",
        ("Model for Improvement", "Coaching"),
        "operating_model_change",
        ("acute", "community", "icb", "region", "university"),
        ("Introduction to the Model for Improvement",),
    ),
    Idea(
        ("Children and young people's mental health",),
        ("Mental health support teams in {place} schools", "Waiting well for CAMHS"),
        "Cut the wait from referral to first contact to under four weeks.",
        ("Experience-based co-design", "Process mapping"),
        "pathway_transformation",
        ("community", "county", "charity"),
    ),
    Idea(
        ("Homelessness and health", "Health inequalities"),
        ("Hospital discharge for people sleeping rough", "Outreach GP clinic in {place}"),
        "No one is discharged from hospital to the street.",
        ("Experience-based co-design",),
        "pathway_transformation",
        ("district", "charity", "gpfed"),
    ),
    Idea(
        ("Adult social care", "Discharge"),
        ("Trusted assessors for care home admissions", "Reablement capacity in {place}"),
        "Reduce the number of people waiting in hospital for a care package by 30%.",
        ("Lean", "Process mapping"),
        "operating_model_change",
        ("county", "icb"),
    ),
    Idea(
        ("Outpatient transformation",),
        ("Patient-initiated follow-up in rheumatology", "Advice and guidance for {place} GPs"),
        "Reduce routine follow-up appointments by 25% without worse outcomes.",
        ("Lean", "SPC charts"),
        "operating_model_change",
        ("acute", "icb"),
    ),
    Idea(
        ("End of life care",),
        ("ReSPECT conversations in {place} care homes", "Rapid discharge to die at home"),
        "Increase the share of people dying in their preferred place to 75%.",
        ("Experience-based co-design", "PDSA"),
        "pathway_transformation",
        ("community", "gpfed", "charity"),
    ),
]

RESOURCE_KINDS = ("case_study", "toolkit", "slideset", "guide", "training", "event", "video")

# The work organisations do beyond what is planted: under each idea's first topic, several
# distinct pieces of work (a title and an aim each), so that two filler projects are about the
# same topic at most, never the same work in the same words. A real region repeats a topic
# often and one piece of work seldom; the planted duplicates are the repeats.
WORKS: dict[str, tuple[tuple[str, str], ...]] = {
    "Falls prevention": (
        (
            "Falls huddles after every fall on {ward}",
            "Hold a ten-minute huddle within a shift of every inpatient fall and act on what "
            "it finds.",
        ),
        (
            "Safer mobility: walking aids within reach on {ward}",
            "Every patient who needs a frame or stick has it within reach, day and night.",
        ),
        (
            "Non-slip footwear for patients admitted without shoes",
            "Give slipper socks or non-slip footwear to every admitted patient who arrives "
            "without safe shoes.",
        ),
        (
            "Bay nursing for patients at high risk of falling on {ward}",
            "Cohort patients at high risk of falling in one bay with a nurse present at all times.",
        ),
        (
            "Post-fall medical review within the hour on {ward}",
            "A doctor reviews every patient who falls within an hour, including for head injury.",
        ),
        (
            "Falls sensors reviewed for people with delirium on {ward}",
            "Review whether bed and chair sensors suit each confused patient at every handover.",
        ),
        (
            "Vision checks after admission for older inpatients",
            "Check glasses and eyesight within a day of admission for people over 75.",
        ),
    ),
    "Falls": (
        (
            "Post-fall review in {place} care homes",
            "Care home staff use a shared checklist after every fall and call the community "
            "falls team when needed.",
        ),
        (
            "Strength and balance classes in {place}",
            "Run twelve-week strength and balance classes in community halls for people who "
            "have fallen.",
        ),
        (
            "Falls pick-up service for people who cannot get up",
            "A non-injury falls response team lifts people at home so no one waits hours for "
            "an ambulance.",
        ),
        (
            "Home hazard checks by occupational therapists in {place}",
            "Occupational therapists visit people after a fall to remove trip hazards and fit "
            "grab rails.",
        ),
        (
            "Falls prevention training for domiciliary carers",
            "Home care workers learn to spot falls risk and refer to the community team.",
        ),
    ),
    "Sepsis": (
        (
            "Sepsis education for newly qualified nurses",
            "Every newly qualified nurse completes sepsis simulation training in their first "
            "month.",
        ),
        (
            "Maternal sepsis: recognising infection after birth",
            "Midwives use the maternity early warning chart to spot infection in the six weeks "
            "after birth.",
        ),
        (
            "Sepsis follow-up clinic for survivors",
            "Offer people who survived sepsis a clinic review at eight weeks for fatigue, "
            "memory and mood.",
        ),
        (
            "Paediatric sepsis pathway on {ward}",
            "Children with suspected infection are assessed with the paediatric sepsis tool "
            "within 15 minutes.",
        ),
        (
            "Sepsis in care homes: soft signs training",
            "Care home staff use a soft-signs tool and call 111 sooner when residents seem unwell.",
        ),
    ),
    "Deteriorating patient": (
        (
            "NEWS2 escalation on {ward}",
            "Every NEWS2 score of 5 or more is escalated and reviewed within 30 minutes.",
        ),
        (
            "Critical care outreach at night",
            "Extend the critical care outreach team to cover nights and weekends.",
        ),
        (
            "Call 4 Concern: families can ask for a second opinion",
            "Patients and relatives can call the outreach team directly when they are worried "
            "that someone is getting worse.",
        ),
        (
            "Electronic observations on {ward}",
            "Replace paper observation charts with handheld devices that calculate the score "
            "and alert the team.",
        ),
        (
            "Soft signs of deterioration in learning disability services",
            "Support workers recognise early soft signs of illness in the people they support.",
        ),
        (
            "Acute kidney injury alerts acted on in {ward}",
            "Every electronic AKI alert leads to a fluid and medicines review within six hours.",
        ),
    ),
    "Discharge": (
        (
            "Criteria-led discharge on {ward}",
            "Nurses discharge patients who meet criteria agreed by the consultant at the "
            "morning ward round.",
        ),
        (
            "Discharge before noon on {ward}",
            "Increase the share of patients discharged before midday to 35%.",
        ),
        (
            "A discharge lounge open until 9pm",
            "Patients wait for transport and medicines in the lounge so beds free up earlier.",
        ),
        (
            "Medicines to take home prescribed the day before",
            "Write take-home prescriptions a day ahead so pharmacy delays no longer hold patients.",
        ),
        (
            "Board rounds with an expected date of discharge",
            "Every patient has an expected date of discharge set within 24 hours of "
            "admission and reviewed daily.",
        ),
        (
            "Transport booked at admission for planned surgery",
            "Patients having planned surgery have their journey home arranged before they arrive.",
        ),
    ),
    "Frailty": (
        (
            "Frailty same-day emergency care",
            "Older people with frailty are seen by a geriatrician in a same-day unit instead "
            "of being admitted.",
        ),
        (
            "Proactive frailty reviews in {place}",
            "Identify moderate and severe frailty early and offer a comprehensive geriatric "
            "assessment within 14 days.",
        ),
        (
            "Clinical frailty scale at the front of every notes",
            "Record a clinical frailty score for every patient over 65 on admission.",
        ),
        (
            "Frailty hub in {place} primary care network",
            "A weekly multidisciplinary meeting plans care for housebound patients with "
            "severe frailty.",
        ),
        (
            "Deprescribing for people living with frailty",
            "Geriatricians and pharmacists stop medicines that no longer help frail older people.",
        ),
        (
            "Frailty champions in {place} ambulance service",
            "Paramedics assess frailty at home and refer to community teams instead of conveying.",
        ),
    ),
    "Pressure ulcers": (
        (
            "Heel protection for hip fracture patients",
            "Every patient with a hip fracture gets heel offloading boots within four hours "
            "of arrival.",
        ),
        (
            "Pressure-relieving mattresses within four hours on {ward}",
            "Patients at high risk get the right mattress on the day they are admitted.",
        ),
        (
            "Purpose T risk assessment across community nursing",
            "District nurses use one risk assessment tool for every patient on their caseload.",
        ),
        (
            "Photographs of wounds shared with tissue viability",
            "Nurses send wound photographs securely so specialists can advise the same day.",
        ),
        (
            "Repositioning prompts for carers at home",
            "Family carers use a simple chart to turn people at risk of skin damage every few "
            "hours.",
        ),
        (
            "Moisture-associated skin damage on {ward}",
            "Continence care and barrier creams reduce skin damage among incontinent patients.",
        ),
    ),
    "Medicines safety": (
        (
            "Reducing omitted time-critical medicines on {ward}",
            "Halve omitted doses of time-critical medicines, including Parkinson's medicines.",
        ),
        (
            "Insulin safety on {ward}",
            "Every insulin prescription is checked by a second nurse and hypoglycaemia is "
            "treated by protocol.",
        ),
        (
            "Anticoagulant monitoring by community pharmacists",
            "Community pharmacies monitor people on warfarin so they no longer travel to "
            "hospital clinics.",
        ),
        (
            "Opioid tapering for chronic pain in {place}",
            "GPs and pharmacists help people on high-dose opioids for chronic pain to reduce "
            "them safely.",
        ),
        (
            "Electronic prescribing and medicines administration",
            "Replace paper drug charts with electronic prescribing on every adult ward.",
        ),
        (
            "Valproate safety reviews for women of childbearing age",
            "Every woman prescribed valproate has an annual specialist review and a signed risk "
            "form.",
        ),
    ),
    "Mental health crisis": (
        (
            "Street triage with police in {place}",
            "Mental health nurses ride with police officers so fewer people are detained "
            "under section 136.",
        ),
        (
            "24/7 mental health crisis line",
            "Anyone can call a free line at any hour and speak to a mental health professional.",
        ),
        (
            "Mental health liaison in the Emergency Department",
            "A liaison psychiatry team sees people in the Emergency Department within an "
            "hour of referral.",
        ),
        (
            "Crisis plans written with service users",
            "Everyone on a community mental health caseload has a crisis plan they wrote "
            "with their care coordinator.",
        ),
        (
            "Crisis resolution home treatment extended to weekends",
            "The home treatment team visits people in crisis seven days a week.",
        ),
        (
            "Mental health ambulance response in {place}",
            "A dedicated vehicle with a paramedic and a mental health nurse answers 999 calls.",
        ),
    ),
    "Social prescribing": (
        (
            "Green social prescribing in {place}",
            "GPs refer patients to gardening, walking and conservation groups run by local "
            "charities.",
        ),
        (
            "Arts on prescription for people with long-term pain",
            "Eight weeks of arts workshops for people living with persistent pain.",
        ),
        (
            "Debt and benefits advice in GP practices",
            "Welfare advisers hold weekly sessions in practices for patients worried about money.",
        ),
        (
            "A directory of community groups for link workers",
            "Keep an up-to-date directory of local groups and activities that anyone can search.",
        ),
        (
            "Social prescribing for children and families in {place}",
            "Youth link workers connect young people to sport, music and volunteering.",
        ),
    ),
    "Health inequalities": (
        (
            "Reducing did-not-attend rates in our most deprived neighbourhoods",
            "Text reminders and transport help so appointments are not missed in the most "
            "deprived areas.",
        ),
        (
            "Interpreters booked automatically for outpatient appointments",
            "Book an interpreter for every patient who needs one when the appointment is made.",
        ),
        (
            "Health checks for people with a learning disability in {place}",
            "Raise the share of adults with a learning disability who have an annual health "
            "check to 80%.",
        ),
        (
            "Cancer screening uptake among Gypsy and Traveller communities",
            "Community health workers support women from Gypsy and Traveller communities to "
            "take up cervical screening.",
        ),
        (
            "Inclusion health outreach van in {place}",
            "A mobile clinic offers vaccinations and blood tests at food banks and day centres.",
        ),
        (
            "Digital inclusion hubs in libraries",
            "Volunteers help people get online to book appointments and order prescriptions.",
        ),
    ),
    "Staff wellbeing": (
        (
            "Schwartz rounds",
            "Monthly rounds where staff from every role reflect on the emotional side of "
            "their work.",
        ),
        (
            "Rest spaces for night staff",
            "Open quiet rooms with recliners and hot food for staff working nights.",
        ),
        (
            "Professional nurse advocates for every ward",
            "Trained nurse advocates offer restorative supervision to colleagues after hard "
            "shifts.",
        ),
        (
            "Menopause support for staff",
            "A menopause policy, a peer network and adjustments such as cooling fans and "
            "flexible rotas.",
        ),
        (
            "Trauma risk management after serious incidents",
            "Trained peers check in with staff one month after a traumatic event at work.",
        ),
        (
            "Flexible rotas for ward nurses",
            "Nurses choose shift patterns through self-rostering on three pilot wards.",
        ),
    ),
    "Virtual wards": (
        (
            "Frailty virtual ward in {place}",
            "Run a 40-bed virtual ward at 80% occupancy with fewer than 10% readmissions.",
        ),
        (
            "Respiratory virtual ward",
            "People with a COPD exacerbation are monitored at home with pulse oximeters "
            "instead of staying in hospital.",
        ),
        (
            "Heart failure virtual ward",
            "Daily weights and symptom checks at home let cardiology nurses adjust diuretics "
            "early.",
        ),
        (
            "Remote monitoring for people after surgery",
            "Patients go home a day earlier with wearable sensors watched by the surgical team.",
        ),
        (
            "Virtual ward for children with bronchiolitis",
            "Children needing oxygen checks are monitored from home by the paediatric team.",
        ),
    ),
    "Unpaid carers": (
        (
            "Carers in the discharge conversation",
            "Every unpaid carer is identified and involved before the person they care for "
            "goes home.",
        ),
        (
            "Young carers identified in schools in {place}",
            "School nurses help teachers recognise young carers and refer them for support.",
        ),
        (
            "Carers' breaks funded through personal budgets",
            "Carers can use a small personal budget for a break of their choosing.",
        ),
        (
            "Carer register in every GP practice",
            "Practices record who is a carer and offer them a health check and flu vaccine.",
        ),
        (
            "Carers' emergency plans",
            "Every carer we support has a written plan for who takes over if they fall ill.",
        ),
    ),
    "Delirium": (
        (
            "Dementia-friendly ward environment",
            "Clear signs, clocks and coloured bays help people with dementia find their way "
            "on the ward.",
        ),
        (
            "This is me: knowing the person with dementia",
            "Families complete a one-page profile so staff know the person's routines and "
            "preferences.",
        ),
        (
            "Delirium prevention bundle on {ward}",
            "Hearing aids, glasses, sleep, hydration and mobility checked daily for older "
            "inpatients.",
        ),
        (
            "Dementia care support workers at night",
            "Specialist support workers stay with distressed patients with dementia overnight.",
        ),
        (
            "Delirium follow-up after discharge",
            "People who had delirium in hospital get a memory and mood check from their GP.",
        ),
    ),
    "Nutrition and hydration": (
        (
            "Protected mealtimes on {ward}",
            "Stop non-urgent activity at mealtimes so patients can eat with help if they need it.",
        ),
        (
            "Hydration stations in {place} care homes",
            "Reduce hospital-acquired acute kidney injury linked to poor hydration.",
        ),
        (
            "Malnutrition screening in the community",
            "District nurses screen housebound patients with MUST and refer to dietitians.",
        ),
        (
            "Finger food menus for people with dementia",
            "Offer finger food at every meal so people who struggle with cutlery still eat well.",
        ),
        (
            "Oral nutritional supplements prescribed by dietitians",
            "Dietitians, not GPs, start and stop supplements for people living at home.",
        ),
    ),
    "Diabetes": (
        (
            "Type 2 diabetes remission programme in {place}",
            "A low-calorie diet programme helps people recently diagnosed with type 2 "
            "diabetes into remission.",
        ),
        (
            "Diabetes foot checks in primary care",
            "Increase the share of people with diabetes getting all eight care processes to 60%.",
        ),
        (
            "Structured education for young adults with type 1 diabetes",
            "Evening education sessions designed with young adults who have type 1 diabetes.",
        ),
        (
            "Inpatient diabetes team reviews on {ward}",
            "Diabetes specialist nurses review every inpatient with diabetes within a day.",
        ),
        (
            "Gestational diabetes follow-up in primary care",
            "Women who had gestational diabetes get an annual blood test after giving birth.",
        ),
        (
            "Digital weight management for people with prediabetes",
            "An app with coaching for people at high risk of developing type 2 diabetes.",
        ),
    ),
    "Smoking cessation": (
        (
            "Smoke-free pregnancies in {place}",
            "Carbon monoxide testing at every antenatal visit with referral to a specialist "
            "midwife.",
        ),
        (
            "Vapes as a quit aid for people in mental health units",
            "Offer free vapes and behavioural support to inpatients who smoke.",
        ),
        (
            "Lung health checks with stop smoking support",
            "People who smoke are offered a lung health check and a quit adviser on the same "
            "visit.",
        ),
        (
            "Stop smoking support in community pharmacies in {place}",
            "Pharmacists take referrals from hospital and continue quit support near home.",
        ),
        (
            "Smokefree hospital grounds",
            "Enforce smokefree grounds with signs, marshals and quit support for staff.",
        ),
    ),
    "Improvement capability": (
        (
            "QI bronze for every new starter",
            "Every new member of staff completes an introduction to improvement in their "
            "first three months.",
        ),
        (
            "Improvement coaching network",
            "Trained coaches support forty frontline projects a year from idea to spread.",
        ),
        (
            "Building an improvement faculty",
            "Train 500 staff in improvement basics and support 40 coached projects a year.",
        ),
        (
            "Quality improvement for board members",
            "Board members learn to read statistical process control charts and ask better "
            "questions.",
        ),
        (
            "Patient partners on improvement teams",
            "Recruit and pay patient partners to join every large improvement project.",
        ),
        (
            "Improvement huddle boards on every ward",
            "Ward teams track their own improvement ideas on a visual board updated daily.",
        ),
    ),
    "Children and young people's mental health": (
        (
            "Mental health support teams in {place} schools",
            "Education mental health practitioners offer early help in every secondary school.",
        ),
        (
            "Waiting well for CAMHS",
            "Cut the wait from referral to first contact to under four weeks.",
        ),
        (
            "Eating disorder early intervention for young people",
            "Young people with a new eating disorder are seen within two weeks of referral.",
        ),
        (
            "Transition from children's to adult mental health services",
            "Every young person moving to adult services has a joint meeting six months "
            "before they turn eighteen.",
        ),
        (
            "Crisis support for under-18s out of hours",
            "A children's crisis team answers calls from families in the evening and at weekends.",
        ),
    ),
    "Homelessness and health": (
        (
            "Hospital discharge for people sleeping rough",
            "No one is discharged from hospital to the street.",
        ),
        (
            "Outreach GP clinic in {place}",
            "A weekly GP clinic at the day centre registers people who have no fixed address.",
        ),
        (
            "Hepatitis C testing in hostels",
            "Nurses test hostel residents for hepatitis C and start treatment on site.",
        ),
        (
            "Dental care for people experiencing homelessness",
            "A mobile dental service visits hostels and day centres every month.",
        ),
        (
            "Housing workers on hospital wards",
            "A housing officer visits wards to prevent people being discharged homeless.",
        ),
    ),
    "Adult social care": (
        (
            "Trusted assessors for care home admissions",
            "One trusted assessor visits the ward for the care home so people move in days sooner.",
        ),
        (
            "Reablement capacity in {place}",
            "Reduce the number of people waiting in hospital for a care package by 30%.",
        ),
        (
            "Technology-enabled care for people living alone",
            "Sensors and video calls help people who live alone stay independent for longer.",
        ),
        (
            "Recruiting home care workers through a local academy",
            "A care academy trains and places 100 new home care workers a year.",
        ),
        (
            "Shared lives carers as an alternative to residential care",
            "Recruit families who offer a home to adults who need support.",
        ),
        (
            "Direct payments made simpler",
            "People who choose direct payments get them set up in under four weeks.",
        ),
    ),
    "Outpatient transformation": (
        (
            "Patient-initiated follow-up in rheumatology",
            "Reduce routine follow-up appointments by 25% without worse outcomes.",
        ),
        (
            "Advice and guidance for {place} GPs",
            "Specialists answer GPs' questions within two working days so fewer referrals are "
            "needed.",
        ),
        (
            "Group consultations for people with long-term conditions",
            "Clinicians see ten patients together, with time for questions and peer support.",
        ),
        (
            "Video appointments in dermatology",
            "Offer video or photo-based appointments to half of dermatology follow-ups.",
        ),
        (
            "Referral triage by consultants in ophthalmology",
            "Consultants triage every eye referral within a week and redirect the routine ones.",
        ),
    ),
    "End of life care": (
        (
            "ReSPECT conversations in {place} care homes",
            "Increase the share of people dying in their preferred place to 75%.",
        ),
        (
            "Rapid discharge to die at home",
            "People who want to die at home leave hospital within 24 hours of asking.",
        ),
        (
            "Just in case medicines in the community",
            "Anticipatory medicines are at home before they are needed, with a plan for carers.",
        ),
        (
            "Bereavement support for families after a death in hospital",
            "Every bereaved family is offered a follow-up call and help with practical tasks.",
        ),
        (
            "Hospice at home overnight",
            "Hospice nurses visit people at home at night in their last weeks of life.",
        ),
        (
            "Advance care planning for people with heart failure",
            "Cardiology nurses start advance care planning conversations at diagnosis.",
        ),
    ),
}
