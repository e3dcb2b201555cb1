"""The demo's words: names from five countries, and the Danish texts a caseworker writes in a case."""

from __future__ import annotations

from dataclasses import dataclass

from kasse.domain import Phase, Track


@dataclass(frozen=True, slots=True)
class Country:
    nationality: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    patronymic: bool  # a child's second name is the father's given name (Tigrinya, Somali)
    languages: tuple[str, ...]
    script: str


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


COUNTRIES = (
    Country(
        "Syrien",
        _names("Ahmad Mohammad Omar Khaled Yousef Hassan Mahmoud Ibrahim Rami Samer Bassel Fadi"),
        _names("Fatima Amal Rania Nour Hiba Lina Reem Yasmin Dima Hala Maryam Salma"),
        _names("Al-Hassan Haddad Khalil Al-Ahmad Mansour Darwish Najjar Sabbagh Hamdan Al-Khatib Saleh Kurdi"),
        False,
        ("Arabisk (modersmål)", "Arabisk (modersmål), kurdisk"),
        "arabisk skrift",
    ),
    Country(
        "Eritrea",
        _names("Tesfay Mehari Yonas Dawit Berhane Kibrom Filmon Habtom Samuel Teklit Mulugeta"),
        _names("Senait Helen Ruta Selam Yordanos Mebrat Saba Freweyni Luwam Tsega Aster"),
        _names("Tesfamariam Gebremedhin Haile Tekle Woldemariam Ghebremichael Kidane Berhe Asmerom Negash"),
        True,
        ("Tigrinya (modersmål)", "Tigrinya (modersmål), lidt arabisk"),
        "ge'ez-skrift",
    ),
    Country(
        "Afghanistan",
        _names("Ahmad Mohammad Farid Hamid Jawad Nasir Rahim Zabihullah Sayed Mustafa Wahid"),
        _names("Zahra Fatima Mariam Shirin Nargis Parwana Fereshta Mursal Laila Sadia Zainab"),
        _names("Ahmadi Rahimi Hosseini Karimi Noori Sultani Haidari Popal Wardak Stanikzai Safi"),
        False,
        ("Dari (modersmål)", "Pashto (modersmål), dari"),
        "persisk skrift",
    ),
    Country(
        "Iran",
        _names("Reza Ali Mehdi Hossein Amir Babak Kourosh Dariush Saeed Arash Farhad"),
        _names("Maryam Shirin Leila Parisa Nasrin Azadeh Mahsa Niloofar Roya Sara Golnaz"),
        _names("Mohammadi Rezaei Jafari Moradi Tehrani Rostami Ghorbani Sadeghi Shirazi Kazemi"),
        False,
        ("Persisk (modersmål)", "Persisk (modersmål), kurdisk"),
        "persisk skrift",
    ),
    Country(
        "Somalia",
        _names("Abdi Mohamed Abdullahi Hassan Ahmed Yusuf Ali Omar Abdirahman Mahad Bashir"),
        _names("Amina Hodan Faadumo Sahra Hawa Ayaan Ifrah Nimco Khadra Sagal Deeqa"),
        _names("Warsame Farah Jama Hirsi Osman Aden Mohamud Nur Ismail Egal Duale"),
        True,
        ("Somali (modersmål)", "Somali (modersmål), lidt arabisk"),
        "latinske bogstaver",
    ),
)
SYRIA, ERITREA, AFGHANISTAN, IRAN, SOMALIA = COUNTRIES
DENMARK = Country(
    "Danmark",
    _names("Lars Jens Mikkel Anders Søren Thomas"),
    _names("Mette Anne Camilla Louise Sofie Hanne"),
    _names("Jensen Nielsen Hansen Pedersen Andersen Larsen Sørensen"),
    False,
    ("Dansk",),
    "latinske bogstaver",
)

MOVED_AWAY = "Flyttet til anden kommune"
SELF_SUPPORTING = "Selvforsørgende"
PROGRAMME_COMPLETED = "Integrationsprogram afsluttet"
PERSONAL_LEFT_REASONS = (SELF_SUPPORTING, SELF_SUPPORTING, "Udrejst af Danmark")
# Why a family taken over before 2016 has left the caseload ten years on.
OLD_CASE_LEFT_REASONS = (SELF_SUPPORTING, SELF_SUPPORTING, PROGRAMME_COMPLETED, PROGRAMME_COMPLETED, MOVED_AWAY)
PROVIDERS = ("Lær Dansk", "Sprogcenter Midt", "UCplus", "Clavis sprog & kompetence", "Sprogskolen")
EMPLOYMENT_GOALS = (
    "Job i detailhandlen",
    "Job som buschauffør",
    "Job i rengøringsbranchen",
    "Job i ældreplejen",
    "Job i byggebranchen",
    "Job som kok i et storkøkken",
    "Job på lager og i logistik",
)
EDUCATION_GOALS = (
    "SOSU-uddannelsen",
    "Erhvervsuddannelse som elektriker",
    "Pædagogisk assistentuddannelse",
    "Anerkendelse af ingeniøruddannelsen",
    "HF-enkeltfag og derefter sygeplejerskeuddannelsen",
)
ACTIVITIES = ("Virksomhedspraktik", "Løntilskud", "Mentor", "Danskuddannelse", "Brancherettet opkvalificering")
EDUCATION = {
    Track.DU1: ("Ingen skolegang", "2 års skolegang"),
    Track.DU2: ("6 års skolegang", "9 års skolegang", "Gymnasium, ikke afsluttet"),
    Track.DU3: (
        "Gymnasieuddannelse",
        "Bachelor i økonomi",
        "Uddannet sygeplejerske",
        "Læreruddannelse",
        "Ingeniøruddannelse (ikke anerkendt i Danmark)",
    ),
}
WORK = (
    "Landbrug",
    "Frisør i 8 år",
    "Chauffør",
    "Syerske",
    "Butiksassistent",
    "Bygningsarbejder",
    "Hjemmegående",
    "Lærer",
    "Sygeplejerske",
    "Kok på restaurant",
    "Mekaniker",
)
HEALTH_SUMMARIES = (
    "Ingen særlige bemærkninger",
    "Rygsmerter; henvist til fysioterapi",
    "Diabetes type 2, velbehandlet",
    "Søvnproblemer og uro; tilbudt samtaleforløb",
    "Nedsat hørelse",
    "Tegn på PTSD; henvist til traumeklinik",
)
# Notes on the follow-up conversations on the contract (§ 20), as a caseworker jots them down.
CONVERSATION_NOTES = (
    "Status på danskuddannelsen; godt fremmøde",
    "Fravær fra sprogskolen drøftet",
    "Virksomhedspraktik aftalt",
    "Praktikken går godt; arbejdsgiveren er tilfreds",
    "Jobsøgning og CV gennemgået",
    "Mentor deltog",
    "Kontraktens mål justeret",
    "Løntilskud drøftet",
    "Sygemeldt; ny samtale aftalt",
    "Tolk deltog",
    "Børnepasning og skema drøftet",
    None,
)
HEALTH_CONVERSATION_NOTE = "Resultat af helbredsvurdering drøftet"
BOOKED_NOTE = "Indkaldelse sendt"
FOLLOWUP_NOTES = (
    "Alle mål gennemgået",
    "Danskuddannelse og praktik drøftet",
    "Boligsituationen drøftet",
    "Børnenes skolegang drøftet",
    None,
)
_CHECKLIST_BY_PHASE = {
    Phase.PREPARATION: (
        "Oplysninger fra asylcenter modtaget",
        "Oplysninger fra Udlændingestyrelsen modtaget",
        "Tilmeldt danskuddannelse",
        "Introduktion til kommunen sendt",
    ),
    Phase.HANDOVER: ("Overdragelsesmøde med asylcenter", "Transport til kommunen aftalt"),
    Phase.ARRIVAL: (
        "Bolig klar",
        "Etableringspakke udleveret",
        "Penge til de første dage udbetalt",
        "Indkøb af dagligvarer sammen med familien",
        "Hvidevarer vist og afprøvet",
    ),
    Phase.RECEPTION: (
        "Indskrevet på sprogskole",
        "Lægebesøg",
        "Skole- og dagtilbudsplads fundet",
        "Integrationskontrakt indgået",
        "Integrationsplan udarbejdet",
        "Helbredsmæssig vurdering tilbudt",
    ),
}
CHECKLIST_TASKS = tuple((phase, task) for phase, tasks in _CHECKLIST_BY_PHASE.items() for task in tasks)
# Quota refugees come straight from a UNHCR camp, not from a Danish asylum centre.
_NOT_FOR_QUOTA = {
    "Oplysninger fra asylcenter modtaget": "Oplysninger fra UNHCR modtaget",
    "Overdragelsesmøde med asylcenter": "Modtaget i lufthavnen",
}
QUOTA_CHECKLIST_TASKS = tuple((phase, _NOT_FOR_QUOTA.get(task, task)) for phase, task in CHECKLIST_TASKS)
MINOR_CHECKLIST_TASKS = (
    (Phase.PREPARATION, "Oplysninger fra asylcenter modtaget"),
    (Phase.HANDOVER, "Opholdssted fundet"),
    (Phase.ARRIVAL, "Kontaktperson udpeget"),
    (Phase.RECEPTION, "Indskrevet i modtageklasse"),
    (Phase.RECEPTION, "Lægebesøg"),
)
