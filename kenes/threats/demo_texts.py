"""The demo's threats and signals in Kazakh and Russian as well as English (``kenes.core.translated``),
given through the threats' ``translate`` service. A signal is named after its threat and its kind
("Spring floods: incidents a month"), so its names are put together from both. Safe to run again."""

from __future__ import annotations

from typing import Any

from kenes.accounts.models import User
from kenes.core import translated
from kenes.threats import services
from kenes.threats.demo import load_demo as load_records
from kenes.threats.models import Signal, Threat

THREATS = {
    "Cross-border drug trafficking routes": (
        "Есірткінің трансшекаралық тасымалдану жолдары",
        "Трансграничные маршруты наркотрафика",
    ),
    "Recruitment into destructive religious movements": (
        "Деструктивті діни ағымдарға тарту",
        "Вербовка в деструктивные религиозные течения",
    ),
    "Mass unrest after price increases": (
        "Бағаның өсуінен кейінгі жаппай тәртіпсіздіктер",
        "Массовые беспорядки после повышения цен",
    ),
    "Attacks on state information systems": (
        "Мемлекеттік ақпараттық жүйелерге жасалатын шабуылдар",
        "Атаки на государственные информационные системы",
    ),
    "Internet fraud against citizens": (
        "Азаматтарға қатысты интернет-алаяқтық",
        "Интернет-мошенничество в отношении граждан",
    ),
    "Ransomware on critical infrastructure": (
        "Аса маңызды инфрақұрылымға бопсалаушы бағдарламалардың шабуылы",
        "Программы-вымогатели на объектах критической инфраструктуры",
    ),
    "Disinformation campaigns in social networks": (
        "Әлеуметтік желілердегі жалған ақпарат науқандары",
        "Дезинформационные кампании в социальных сетях",
    ),
    "Fuel shortages in the heating season": (
        "Жылыту маусымындағы отын тапшылығы",
        "Дефицит топлива в отопительный сезон",
    ),
    "Failures of the unified power grid": (
        "Бірыңғай электр энергетикалық жүйедегі істен шығулар",
        "Сбои в единой электроэнергетической системе",
    ),
    "Dependence on imported electricity": (
        "Импортталатын электр энергиясына тәуелділік",
        "Зависимость от импорта электроэнергии",
    ),
    "Rise of food prices": ("Азық-түлік бағасының өсуі", "Рост цен на продовольствие"),
    "Grain export restrictions by neighbours": (
        "Көрші елдердің астық экспортына шектеулері",
        "Ограничения экспорта зерна соседними странами",
    ),
    "Spring floods": ("Көктемгі су тасқыны", "Весенний паводок"),
    "Steppe and forest fires": ("Дала және орман өрттері", "Степные и лесные пожары"),
    "Shallowing of transboundary rivers": (
        "Трансшекаралық өзендердің тартылуы",
        "Обмеление трансграничных рек",
    ),
    "Outbreaks of infectious diseases": ("Жұқпалы аурулардың өршуі", "Вспышки инфекционных заболеваний"),
    "Import of epidemics across the border": (
        "Індеттердің шекара арқылы әкелінуі",
        "Завоз эпидемий через границу",
    ),
    "Illegal migration": ("Заңсыз көші-қон", "Незаконная миграция"),
    "Smuggling of goods across the border": (
        "Тауарлардың шекара арқылы контрабандасы",
        "Контрабанда товаров через границу",
    ),
    "Militarisation of neighbouring regions": ("Көрші өңірлердің милитаристенуі", "Милитаризация соседних регионов"),
    "Foreign military activity near the border": (
        "Шекара маңындағы шетелдік әскери белсенділік",
        "Иностранная военная активность у границы",
    ),
    "Shadow economy and capital flight": (
        "Көлеңкелі экономика және капиталдың сыртқа кетуі",
        "Теневая экономика и бегство капитала",
    ),
    "Currency volatility": ("Валюта бағамының құбылмалылығы", "Волатильность валютного курса"),
    "Sanctions against trading partners": (
        "Сауда серіктестеріне қарсы санкциялар",
        "Санкции против торговых партнёров",
    ),
    "Street crime in large cities": ("Ірі қалалардағы көше қылмысы", "Уличная преступность в крупных городах"),
    "Road traffic deaths": ("Жол-көлік оқиғаларындағы өлім-жітім", "Смертность на дорогах"),
    "Extremist content online": ("Интернеттегі экстремистік мазмұн", "Экстремистский контент в интернете"),
    "Returnees from conflict zones": (
        "Қақтығыс аймақтарынан оралғандар",
        "Вернувшиеся из зон вооружённых конфликтов",
    ),
    "Cybercrime against banks": ("Банктерге қарсы киберқылмыс", "Киберпреступность против банков"),
    "Leaks of personal data": ("Дербес деректердің жылыстауы", "Утечки персональных данных"),
    "Wear of heat supply networks": ("Жылумен жабдықтау желілерінің тозуы", "Износ сетей теплоснабжения"),
    "Air pollution in cities": ("Қалалардағы ауаның ластануы", "Загрязнение воздуха в городах"),
    "Earthquake in Almaty": ("Алматыдағы жер сілкінісі", "Землетрясение в Алматы"),
    "Antibiotic resistance": ("Антибиотиктерге төзімділік", "Устойчивость к антибиотикам"),
    "Arms trafficking": ("Қаруды заңсыз айналымға салу", "Незаконный оборот оружия"),
    "Human trafficking": ("Адам саудасы", "Торговля людьми"),
    "Money laundering through crypto-assets": (
        "Криптоактивтер арқылы ақшаны жылыстату",
        "Отмывание денег через криптоактивы",
    ),
    "Propaganda of violence among youth": (
        "Жастар арасында зорлық-зомбылықты насихаттау",
        "Пропаганда насилия среди молодёжи",
    ),
    "Interethnic tensions": ("Этносаралық шиеленіс", "Межэтническая напряжённость"),
    "Dependence on single transit routes": (
        "Жалғыз транзиттік бағыттарға тәуелділік",
        "Зависимость от единственных транзитных маршрутов",
    ),
}

SIGNAL_KINDS = {
    "incidents a month": ("айына оқиғалар саны", "инцидентов в месяц"),
    "cases registered": ("тіркелген жағдайлар", "зарегистрировано случаев"),
    "index": ("индекс", "индекс"),
}

SIGNALS = {
    f"{threat}: {kind}": (f"{threat_kk}: {kind_kk}", f"{threat_ru}: {kind_ru}")
    for threat, (threat_kk, threat_ru) in THREATS.items()
    for kind, (kind_kk, kind_ru) in SIGNAL_KINDS.items()
}


def load_demo(stdout: Any = None) -> None:
    """The threats' demo records, then their titles and the signals' names in Kazakh and Russian."""
    load_records(stdout)
    analyst = User.objects.filter(username="analyst").first()
    if analyst is None:
        return

    def translate(record: Any, texts: dict) -> None:
        services.translate(record, texts, actor=analyst)

    translated.translate_demo(Threat, THREATS, translate)
    translated.translate_demo(Signal, SIGNALS, translate)
