"""The versioned purpose taxonomy: what a job may be for, where, on what, doing what.

Purposes are codes; consent is given per code. Each code carries a plain description that
a data subject or a business user can read. The rulebook refers to these codes, and the
rulebook's version hash covers this taxonomy, so a change here is a new policy version.
"""

from __future__ import annotations

from types import MappingProxyType

TAXONOMY_VERSION = "2026.1"

PURPOSES: MappingProxyType[str, str] = MappingProxyType(
    {
        # Ordinary business uses.
        "product_tagging": "Label product photos with categories, colours and attributes.",
        "inventory": "Count and recognise stock, pallets and goods in stores and warehouses.",
        "quality_inspection": "Find defects, damage or wear on products, parts and materials.",
        "defect_detection": "Find manufacturing defects on parts and assemblies.",
        "content_moderation": "Find unsafe or policy-breaking content (violence, nudity, spam).",
        "search_own_media": "Search a business unit's own image library by text or by image.",
        "accessibility": "Describe images for people who cannot see them (alt text).",
        "document_processing": "Sort and route scanned documents, forms and receipts.",
        "safety_monitoring": "Spot hazards: fire, smoke, spills, blocked exits, missing PPE.",
        "marketing_analytics": "Measure how products, brands and campaigns appear in images.",
        "brand_monitoring": "Find a company's logos and products in published images.",
        "archive_management": "Catalogue and de-duplicate historical image archives.",
        "wildlife_monitoring": "Recognise animals and plants in camera-trap and field photos.",
        "traffic_monitoring": "Count vehicles and detect congestion or road obstructions.",
        "crowd_counting": "Estimate how many people are in an area, without identifying anyone.",
        "infrastructure_inspection": "Inspect bridges, lines, pipes and plants for damage.",
        "medical_diagnosis_support": "Help clinicians read medical images (findings, triage).",
        "research": "Scientific or product research on the business unit's own images.",
        # Uses the AI Act lists as high-risk (Annex III): they need a compliance officer.
        "recruitment": "Screen, sort or evaluate job applicants or candidates.",
        "worker_monitoring": "Monitor or evaluate the behaviour or performance of workers.",
        "employee_performance": "Evaluate employees for promotion, pay or dismissal.",
        "education_assessment": "Assess, grade or evaluate learners and their work.",
        "exam_proctoring": "Watch for prohibited behaviour of students during tests.",
        "student_admission": "Decide on admission of people to education or training.",
        "credit_scoring": "Evaluate a person's creditworthiness or credit score.",
        "insurance_pricing": "Assess risk and price life or health insurance for a person.",
        "benefits_eligibility": "Decide whether a person is eligible for public benefits.",
        "access_control": "Decide who may enter premises or systems.",
        "identity_verification": "Confirm that a person is who they claim to be.",
        "biometric_identification": "Recognise who a person is from their face or body.",
        "biometric_categorisation": "Sort people into groups by physical or physiological traits.",
        "demographic_analysis": "Estimate the age, sex or other attributes of people pictured.",
        "emotion_recognition": "Infer the emotions or intentions of people pictured.",
        "law_enforcement_investigation": "Support police or prosecutors in an investigation.",
        "border_control": "Checks of travellers, visas and crossings at borders.",
        "migration_assessment": "Assess asylum, visa or residence applications.",
        "judicial_decision_support": "Help courts research, interpret or apply the law to facts.",
        "public_space_surveillance": "Watch people in publicly accessible spaces with cameras.",
        # Uses the AI Act prohibits (Art. 5): listed so that they are refused by name.
        "social_scoring": "Score people's trustworthiness or social behaviour.",
        "crime_prediction": "Predict whether a person will commit a crime.",
    }
)

# Other ways people name each purpose. They are not aliases: a purpose code that is not in
# the taxonomy is matched by meaning against the codes, their descriptions and these phrases
# (``governance.purposes``), and the request is also screened by the purpose's own words.
PURPOSE_PHRASES: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "product_tagging": (
            "catalogue enrichment",
            "watch face catalogue",
            "product attribute extraction",
            "product classification",
            "e-commerce image tagging",
            "stock photo tagging",
            "listing photo tagging",
            "fashion tagging",
            "hairstyle and salon lookbook",
            "image labelling of merchandise",
            "product catalogue",
            "catalogue photos",
            "lookbook tagging",
        ),
        "inventory": (
            "shelf auditing",
            "stock level monitoring",
            "warehouse stock count",
            "out of stock detection",
            "planogram compliance",
            "pallet counting",
        ),
        "quality_inspection": (
            "visual quality control",
            "damage assessment of goods",
            "packaging inspection",
            "cctv camera health monitoring",
            "weld inspection",
            "surface inspection",
            "vehicle damage assessment",
            "crop disease detection",
            "food quality grading",
            "insurance claims handling",
            "grading the condition of returned devices",
            "returns grading",
            "passport photo quality check",
        ),
        "defect_detection": ("defect classification", "anomaly detection on parts"),
        "content_moderation": (
            "nsfw filtering",
            "hate symbol detection",
            "weapon detection in uploads",
            "spam image filtering",
            "brand safety review",
            "trust and safety review",
            "misinformation image review",
            "face blurring before publishing",
            "anonymise faces and licence plates",
            "anonymisation of photos",
            "face detection for automatic cropping",
            "privacy redaction",
        ),
        "search_own_media": (
            "visual search",
            "image retrieval",
            "photo library search",
            "similar image search",
            "reverse image search of our own assets",
            "event photo gallery",
            "sports photo gallery",
            "company event photos",
            "open day photo gallery",
            "yearbook photo sorting",
            "annual meeting photos",
            "marketing photo shoot library",
            "press pool photos",
            "training media library",
            "sports highlights",
            "highlight clip search",
            "tagging the mood and style of artworks",
            "studio portfolio of our own work",
            "costume and party photo tagging",
        ),
        "accessibility": (
            "alt text generation",
            "image captioning",
            "image descriptions for blind users",
        ),
        "document_processing": (
            "invoice classification",
            "document classification by type",
            "document type classifier",
            "receipt sorting",
            "form routing",
            "document triage",
            "records digitisation",
            "court records digitisation",
            "scanning paper records",
            "registry scanning and sorting",
            "court back office document sorting",
            "fraud detection",
        ),
        "safety_monitoring": (
            "fire detection",
            "smoke detection",
            "ppe compliance",
            "hard hat detection",
            "hazard detection",
            "patient fall detection",
            "patient monitoring",
            "intrusion detection",
            "perimeter intrusion alert",
            "spill detection",
        ),
        "marketing_analytics": (
            "campaign analytics",
            "ad creative analysis",
            "fashion trend analysis",
            "retail analytics",
            "visual trend research",
            "film test screening",
            "audience testing of a film",
            "product marketing imagery",
        ),
        "brand_monitoring": (
            "logo detection",
            "counterfeit product detection",
            "sponsorship visibility",
        ),
        "archive_management": (
            "duplicate detection",
            "photo archive deduplication",
            "archive dedupe",
            "photo deduplication",
            "near duplicate detection",
            "museum cataloguing",
            "digital asset management",
            "historical photo cataloguing",
            "detect opening and end credits in videos",
            "credits roll detection",
            "film credits detection",
            "video chapter detection",
        ),
        "wildlife_monitoring": (
            "wildlife census",
            "species identification",
            "camera trap analysis",
            "farm animal welfare",
        ),
        "traffic_monitoring": (
            "parking occupancy",
            "vehicle counting",
            "road condition monitoring",
        ),
        "crowd_counting": (
            "footfall counting",
            "occupancy counting",
            "queue length monitoring",
            "room occupancy",
            "space utilisation",
            "venue capacity",
            "crowd density",
            "platform crowding levels",
            "crowding",
        ),
        "infrastructure_inspection": (
            "power line inspection",
            "pipeline inspection",
            "bridge inspection",
            "grid inspection",
            "corrosion detection",
            "building and facilities maintenance",
            "housing repairs and maintenance",
            "sewer cctv survey",
            "drain and pipe camera survey",
        ),
        "medical_diagnosis_support": (
            "radiology triage",
            "x-ray findings",
            "skin lesion classification",
            "pathology slide analysis",
            "retinal scan screening",
        ),
        "research": ("internal research", "dataset analysis", "model evaluation"),
        "recruitment": (
            "candidate screening",
            "cv screening",
            "applicant ranking",
            "job applicant evaluation",
            "interview video analysis",
        ),
        "worker_monitoring": (
            "employee monitoring",
            "staff surveillance",
            "attendance tracking",
            "productivity tracking",
        ),
        "employee_performance": (
            "performance review",
            "employee productivity scoring",
            "promotion review",
        ),
        "education_assessment": (
            "grading",
            "student assessment",
            "homework evaluation",
            "practical assessment",
            "level placement",
            "placement test",
        ),
        "exam_proctoring": (
            "exam invigilation",
            "online test monitoring",
            "cheating detection in exams",
        ),
        "student_admission": ("admissions screening", "applicant selection for a school"),
        "credit_scoring": (
            "loan underwriting",
            "loan approval",
            "credit check",
            "lending decision",
            "creditworthiness assessment",
        ),
        "insurance_pricing": ("insurance underwriting", "health insurance risk assessment"),
        "benefits_eligibility": (
            "welfare eligibility",
            "social benefits assessment",
            "housing allocation",
        ),
        "access_control": ("building entry by face", "turnstile face check"),
        "identity_verification": (
            "kyc",
            "passport verification",
            "face verification",
        ),
        "biometric_identification": (
            "face matching",
            "face recognition",
            "person re-identification",
            "watchlist matching",
        ),
        "biometric_categorisation": (
            "gender classification",
            "ethnicity estimation",
            "attribute classification of people",
        ),
        "demographic_analysis": (
            "age estimation",
            "audience demographics",
            "age and gender estimation",
        ),
        "emotion_recognition": (
            "sentiment analysis of faces",
            "customer sentiment from faces",
            "audience reaction analysis",
            "mood detection",
        ),
        "law_enforcement_investigation": (
            "evidence review",
            "suspect identification",
            "criminal investigation support",
        ),
        "border_control": ("passport control", "border screening", "visa fraud detection"),
        "migration_assessment": ("asylum claim review", "residence permit assessment"),
        "judicial_decision_support": (
            "court evidence analysis",
            "case law research",
            "sentencing support",
            "dispute resolution",
        ),
        "public_space_surveillance": (
            "cctv monitoring of people",
            "street surveillance",
            "crowd surveillance",
        ),
        "social_scoring": (
            "citizen scoring",
            "trustworthiness scoring",
            "social credit",
            "reputation scoring of people",
        ),
        "crime_prediction": (
            "recidivism prediction",
            "threat assessment of individuals",
        ),
    }
)

# Purposes the AI Act lists as high-risk (Annex III) and as prohibited (Art. 5).
HIGH_RISK_PURPOSES: frozenset[str] = frozenset(
    {
        "recruitment",
        "worker_monitoring",
        "employee_performance",
        "education_assessment",
        "exam_proctoring",
        "student_admission",
        "credit_scoring",
        "insurance_pricing",
        "benefits_eligibility",
        "access_control",
        "identity_verification",
        "biometric_identification",
        "biometric_categorisation",
        "demographic_analysis",
        "emotion_recognition",
        "law_enforcement_investigation",
        "border_control",
        "migration_assessment",
        "judicial_decision_support",
        "public_space_surveillance",
    }
)
PROHIBITED_PURPOSES: frozenset[str] = frozenset({"social_scoring", "crime_prediction"})

# Other spellings a business unit may use for a purpose code; they mean exactly the code.
PURPOSE_ALIASES: MappingProxyType[str, str] = MappingProxyType(
    {
        "alt_text": "accessibility",
        "product_categorisation": "product_tagging",
        "product_categorization": "product_tagging",
        "inventory_management": "inventory",
        "stock_counting": "inventory",
        "visual_inspection": "quality_inspection",
        "media_search": "search_own_media",
        "hiring": "recruitment",
        "employee_monitoring": "worker_monitoring",
        "proctoring": "exam_proctoring",
        "creditworthiness": "credit_scoring",
        "face_recognition": "biometric_identification",
        "facial_recognition": "biometric_identification",
        "emotion_detection": "emotion_recognition",
        "predictive_policing": "crime_prediction",
        "medical_imaging": "medical_diagnosis_support",
        "surveillance": "public_space_surveillance",
    }
)

DEPLOYMENT_CONTEXTS: tuple[str, ...] = (
    "general",
    "workplace",
    "education",
    "public_space",
    "law_enforcement",
    "migration_border",
    "healthcare",
    "critical_infrastructure",
    "essential_services",
    "justice",
    "retail",
    "media",
    "manufacturing",
)

TASKS: tuple[str, ...] = (
    "zero_shot_classification",
    "embedding",
    "text_to_image_search",
    "image_to_image_search",
)

DATA_CATEGORIES: tuple[str, ...] = (
    "people",
    "faces",
    "documents",
    "products",
    "vehicles",
    "scenes",
    "animals",
    "medical_images",
    "other",
)

# Abbreviations business units write in purpose codes, read as words before a code is
# matched by meaning and screened ("wh-pickrate-cam", "lylty-rcpt-ocr", "ops-hse-cam").
PURPOSE_ABBREVIATIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "ad": "advertisement",
        "ads": "advertisements",
        "adr": "alternative dispute resolution",
        "alttxt": "alt text",
        "anon": "anonymisation",
        "aml": "anti money laundering",
        "attr": "attributes",
        "attrs": "attributes",
        "atp": "automatic train protection",
        "behav": "behaviour",
        "bnft": "benefit",
        "bnpl": "buy now pay later",
        "cam": "camera",
        "cams": "cameras",
        "comms": "communications",
        "cred": "credit",
        "cust": "customer",
        "dedupe": "deduplicate",
        "dedup": "deduplicate",
        "ctrl": "control",
        "ctl": "control",
        "cx": "customer experience",
        "dam": "digital asset management",
        "dept": "department",
        "doc": "document",
        "doctype": "document type",
        "dupe": "duplicate",
        "dyn": "dynamic",
        "elig": "eligibility",
        "el": "electroluminescence",
        "dupes": "duplicates",
        "docs": "documents",
        "ecom": "e-commerce",
        "edu": "education",
        "ehs": "health and safety",
        "emp": "employee",
        "eval": "evaluation",
        "evid": "evidence",
        "fnol": "first notice of loss insurance claim",
        "hosp": "hospital",
        "hr": "human resources",
        "hsg": "housing",
        "hse": "health and safety",
        "idx": "index",
        "img": "image",
        "imgs": "images",
        "imgsearch": "image search",
        "inv": "inventory",
        "kw": "keywords",
        "kyc": "know your customer identity verification",
        "lib": "library",
        "mfg": "manufacturing",
        "mgmt": "management",
        "mktg": "marketing",
        "ops": "operations",
        "osint": "open source intelligence",
        "pdp": "product detail page",
        "perf": "performance",
        "pic": "picture",
        "pics": "pictures",
        "pkg": "package",
        "ppl": "people",
        "qa": "quality assurance",
        "qc": "quality control",
        "rbi": "remote biometric identification",
        "rcpt": "receipt",
        "rt": "real time",
        "sec": "security",
        "sfty": "safety",
        "pts": "points",
        "srch": "search",
        "sku": "product",
        "socialmedia": "social media",
        "svc": "service",
        "uni": "university",
        "vid": "video",
        "wh": "warehouse",
        "invig": "invigilation",
        "invntry": "inventory",
        "jdg": "judge",
        "neardup": "near duplicate",
        "emb": "embedding",
        "tlc": "traffic light control",
        "trib": "tribunal",
        "pv": "photovoltaic",
        "scr": "screening",
    }
)

# Ordinary purposes about things, not people: when people only appear among the things
# pictured, such a job in the context of an Annex III area (an archive of a police museum, a
# utility's photo library, a court's records scanning) is not a use on those people.
# Safety and traffic monitoring are left out: in critical infrastructure they are its
# safety components.
THING_PURPOSES: frozenset[str] = frozenset(
    {
        "product_tagging",
        "inventory",
        "quality_inspection",
        "defect_detection",
        "search_own_media",
        "accessibility",
        "document_processing",
        "brand_monitoring",
        "archive_management",
        "wildlife_monitoring",
        "crowd_counting",
        "infrastructure_inspection",
    }
)

# Data categories that say people may be pictured.
PERSON_DATA_CATEGORIES: frozenset[str] = frozenset({"people", "faces"})
# Data categories of images of things and places; documents and "other" images may be
# people's work (an essay, a drawing), scenes may hold passers-by.
THING_DATA_CATEGORIES: frozenset[str] = frozenset({"products", "vehicles", "animals", "scenes"})


def canonical_purpose(code: str) -> str | None:
    """The taxonomy code for ``code`` (itself or through an alias); None when unknown."""
    if code in PURPOSES:
        return code
    return PURPOSE_ALIASES.get(code)


def taxonomy_content() -> dict[str, object]:
    """Everything in the taxonomy, as plain data: part of the policy version hash."""
    return {
        "version": TAXONOMY_VERSION,
        "purposes": dict(PURPOSES),
        "purpose_aliases": dict(PURPOSE_ALIASES),
        "purpose_phrases": {code: list(p) for code, p in PURPOSE_PHRASES.items()},
        "high_risk_purposes": sorted(HIGH_RISK_PURPOSES),
        "prohibited_purposes": sorted(PROHIBITED_PURPOSES),
        "thing_purposes": sorted(THING_PURPOSES),
        "purpose_abbreviations": dict(PURPOSE_ABBREVIATIONS),
        "deployment_contexts": list(DEPLOYMENT_CONTEXTS),
        "tasks": list(TASKS),
        "data_categories": list(DATA_CATEGORIES),
    }
