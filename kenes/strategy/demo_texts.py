"""The demo's strategic documents and indicators in Kazakh and Russian as well as English
(``kenes.core.translated``), given through the strategy's ``translate`` service. Safe to run again."""

from __future__ import annotations

from typing import Any

from kenes.accounts.models import User
from kenes.core import translated
from kenes.strategy import services
from kenes.strategy.demo import load_demo as load_records
from kenes.strategy.models import Indicator, StrategicDocument

DOCUMENTS = {
    "National Security Strategy of the Republic of Kazakhstan for 2021–2030": (
        "Қазақстан Республикасының 2021–2030 жылдарға арналған Ұлттық қауіпсіздік стратегиясы",
        "Стратегия национальной безопасности Республики Казахстан на 2021–2030 годы",
    ),
    "State program of road traffic safety for 2023–2027": (
        "Жол жүрісі қауіпсіздігін қамтамасыз етудің 2023–2027 жылдарға арналған мемлекеттік бағдарламасы",
        "Государственная программа обеспечения безопасности дорожного движения на 2023–2027 годы",
    ),
    "State program of prevention and liquidation of emergencies for 2022–2026": (
        "Төтенше жағдайлардың алдын алу және оларды жоюдың 2022–2026 жылдарға арналған мемлекеттік бағдарламасы",
        "Государственная программа предупреждения и ликвидации чрезвычайных ситуаций на 2022–2026 годы",
    ),
}

INDICATORS = {
    "Settlements protected by dams": ("Бөгеттермен қорғалған елді мекендер", "Населённые пункты, защищённые дамбами"),
    "People evacuated in the flood season": (
        "Су тасқыны кезеңінде эвакуацияланған адамдар",
        "Люди, эвакуированные в период паводка",
    ),
    "Hydrological posts with automatic transmission": (
        "Деректерді автоматты түрде беретін гидрологиялық бекеттер",
        "Гидрологические посты с автоматической передачей данных",
    ),
    "Mudflow warning time": ("Сел қаупі туралы ескерту уақыты", "Время оповещения о селевой опасности"),
    "Fires in residential buildings": ("Тұрғын үйлердегі өрттер", "Пожары в жилых домах"),
    "Forest area lost to fire": ("Өрттен жойылған орман алқабы", "Площадь леса, уничтоженного пожарами"),
    "Fire stations in rural districts": (
        "Ауылдық округтердегі өрт сөндіру бекеттері",
        "Пожарные посты в сельских округах",
    ),
    "Volunteer firefighters trained": ("Даярланған ерікті өрт сөндірушілер", "Подготовленные добровольные пожарные"),
    "Shelters in working order": ("Жарамды күйдегі қорғаныс құрылыстары", "Защитные сооружения в исправном состоянии"),
    "Regional reserve of material resources filled": (
        "Өңірлік материалдық ресурстар резервінің толықтырылуы",
        "Заполненность регионального резерва материальных ресурсов",
    ),
    "Citizens trained in civil protection": (
        "Азаматтық қорғауға оқытылған азаматтар",
        "Граждане, обученные основам гражданской защиты",
    ),
    "Exercises of the civil protection system": (
        "Азаматтық қорғау жүйесінің оқу-жаттығулары",
        "Учения системы гражданской защиты",
    ),
    "Emergency calls answered within 10 seconds": (
        "10 секунд ішінде жауап берілген шұғыл қоңыраулар",
        "Экстренные вызовы, принятые в течение 10 секунд",
    ),
    "Earthquake-resistant schools in Almaty": (
        "Алматыдағы сейсмикалық төзімді мектептер",
        "Сейсмостойкие школы Алматы",
    ),
    "Seismic sensors in operation": ("Жұмыс істеп тұрған сейсмикалық датчиктер", "Действующие сейсмические датчики"),
    "Registered crimes per 10,000 people": (
        "10 000 адамға шаққандағы тіркелген қылмыстар",
        "Зарегистрированные преступления на 10 000 человек",
    ),
    "Share of citizens who feel safe in their city": (
        "Өз қаласында өзін қауіпсіз сезінетін азаматтардың үлесі",
        "Доля граждан, чувствующих себя в безопасности в своём городе",
    ),
    "Crimes solved, share of registered": (
        "Ашылған қылмыстардың тіркелгендер ішіндегі үлесі",
        "Раскрытые преступления, доля от зарегистрированных",
    ),
    "Deaths in road traffic accidents": (
        "Жол-көлік оқиғаларында қаза тапқандар",
        "Погибшие в дорожно-транспортных происшествиях",
    ),
    "Street crimes in Almaty": ("Алматыдағы көше қылмыстары", "Уличные преступления в Алматы"),
    "Critical information infrastructure objects with a security operations centre": (
        "Ақпараттық қауіпсіздік жедел орталығына қосылған аса маңызды объектілер",
        "Критически важные объекты, подключённые к оперативному центру информационной безопасности",
    ),
    "Cyber incidents in state information systems": (
        "Мемлекеттік ақпараттық жүйелердегі киберинциденттер",
        "Киберинциденты в государственных информационных системах",
    ),
    "Citizens trained in digital hygiene": (
        "Цифрлық гигиенаға оқытылған азаматтар",
        "Граждане, обученные цифровой гигиене",
    ),
    "Internet fraud cases": ("Интернет-алаяқтық фактілері", "Случаи интернет-мошенничества"),
    "People killed in emergencies": ("Төтенше жағдайларда қаза тапқандар", "Погибшие в чрезвычайных ситуациях"),
    "Settlements covered by the warning system": (
        "Хабарлау жүйесімен қамтылған елді мекендер",
        "Населённые пункты, охваченные системой оповещения",
    ),
    "Average arrival time of fire crews in cities": (
        "Қалаларда өрт сөндіру бөлімшелерінің орташа жету уақыты",
        "Среднее время прибытия пожарных подразделений в городах",
    ),
    "Reserve of fuel for power stations": ("Электр станцияларының отын қоры", "Запас топлива на электростанциях"),
    "Wear of heat and power networks": ("Жылу және электр желілерінің тозуы", "Износ тепловых и электрических сетей"),
    "Self-sufficiency in staple foods": (
        "Негізгі азық-түлікпен өзін-өзі қамтамасыз ету",
        "Самообеспеченность основными продуктами питания",
    ),
    "Suspicious financial operations examined": (
        "Тексерілген күдікті қаржылық операциялар",
        "Проверенные подозрительные финансовые операции",
    ),
    "Units fully equipped with modern arms": (
        "Заманауи қару-жарақпен толық жарақтандырылған бөлімшелер",
        "Подразделения, полностью оснащённые современным вооружением",
    ),
    "Staffing of units with contract servicemen": (
        "Бөлімшелердің келісімшарт бойынша әскери қызметшілермен жасақталуы",
        "Укомплектованность подразделений военнослужащими по контракту",
    ),
    "Exercises held with neighbouring states": (
        "Көрші мемлекеттермен өткізілген оқу-жаттығулар",
        "Учения, проведённые с соседними государствами",
    ),
    "Public trust in the armed forces": ("Халықтың Қарулы Күштерге сенімі", "Доверие населения к Вооружённым силам"),
    "Road deaths per 100,000 people": (
        "100 000 адамға шаққандағы жолда қаза тапқандар",
        "Погибшие на дорогах на 100 000 человек",
    ),
    "Road accidents with injuries": ("Зардап шеккендер бар жол-көлік оқиғалары", "ДТП с пострадавшими"),
    "Dangerous road sections rebuilt": (
        "Қайта жаңартылған қауіпті жол учаскелері",
        "Реконструированные аварийно-опасные участки дорог",
    ),
    "Roads of republican significance in good condition": (
        "Жақсы күйдегі республикалық маңызы бар жолдар",
        "Дороги республиканского значения в хорошем состоянии",
    ),
    "Automatic speed cameras in operation": (
        "Жұмыс істеп тұрған жылдамдықты автоматты тіркеу камералары",
        "Действующие камеры автоматической фиксации скорости",
    ),
    "Ambulance arrival on highways": (
        "Тас жолдарда жедел жәрдемнің жету уақыты",
        "Время прибытия скорой помощи на трассах",
    ),
    "Deaths of injured within 30 days": (
        "Зардап шеккендердің 30 күн ішінде қайтыс болуы",
        "Смертность пострадавших в течение 30 дней",
    ),
    "Trauma centres on international transport corridors": (
        "Халықаралық көлік дәліздеріндегі травматологиялық орталықтар",
        "Травмацентры на международных транспортных коридорах",
    ),
    "Drunk-driving offences": (
        "Мас күйінде көлік жүргізу құқық бұзушылықтары",
        "Правонарушения, связанные с управлением в нетрезвом виде",
    ),
    "Children killed on the roads": ("Жолда қаза тапқан балалар", "Дети, погибшие на дорогах"),
    "Schools with road-safety lessons": (
        "Жол қауіпсіздігі сабақтары өткізілетін мектептер",
        "Школы с уроками безопасности дорожного движения",
    ),
    "Seat-belt use, drivers and front passengers": (
        "Жүргізушілер мен алдыңғы жолаушылардың қауіпсіздік белдігін тағуы",
        "Использование ремней безопасности водителями и передними пассажирами",
    ),
    "Road accidents in Almaty": ("Алматыдағы жол-көлік оқиғалары", "ДТП в Алматы"),
    "Pedestrian crossings with lighting in Almaty": (
        "Алматыдағы жарықтандырылған жаяу жүргіншілер өткелдері",
        "Освещённые пешеходные переходы в Алматы",
    ),
    "Public-awareness campaigns held": (
        "Өткізілген ақпараттық-түсіндіру науқандары",
        "Проведённые информационно-разъяснительные кампании",
    ),
}


def load_demo(stdout: Any = None) -> None:
    """The strategy's demo records, then the titles and names in Kazakh and Russian."""
    load_records(stdout)
    analyst = User.objects.filter(username="analyst").first()
    if analyst is None:
        return

    def translate(record: Any, texts: dict) -> None:
        services.translate(record, texts, actor=analyst)

    translated.translate_demo(StrategicDocument, DOCUMENTS, translate)
    translated.translate_demo(Indicator, INDICATORS, translate)
