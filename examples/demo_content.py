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
