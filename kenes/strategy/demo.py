"""Demo of strategic monitoring: a national security strategy and two state programs under it, with
fifty indicators and their measurements since 2021, some on track and some slipping.

Built through the services (documents, goals, indicators with targets, measurements by the
responsible liaison or an analyst), so every evaluation and forecast is computed as in real use.
Deterministic, and safe to run again (it does nothing once the strategy exists)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from kenes.accounts.models import Role, User
from kenes.core import periods
from kenes.core.classification import Classification
from kenes.directory.models import Organization
from kenes.strategy import services
from kenes.strategy.models import StrategicDocument

D = dt.date
STRATEGY_TITLE = "National Security Strategy of the Republic of Kazakhstan for 2021–2030"
OFFICIAL, SECRET = Classification.OFFICIAL, Classification.SECRET

# (code, name, unit, direction, frequency, baseline, final target, responsible body, performance, level)
# performance: the share of the planned way the body really covers (1.0 exactly on plan).
STRATEGY_GOALS: list[tuple[str, float, list[tuple]]] = [
    (
        "Public order and safety of citizens",
        1.5,
        [
            (
                "NSS-01",
                "Registered crimes per 10,000 people",
                "per 10,000",
                "decrease",
                "annual",
                92.0,
                70.0,
                "mia",
                1.05,
                OFFICIAL,
            ),
            (
                "NSS-02",
                "Share of citizens who feel safe in their city",
                "%",
                "increase",
                "annual",
                61.0,
                75.0,
                "mia",
                1.0,
                OFFICIAL,
            ),
            (
                "NSS-03",
                "Crimes solved, share of registered",
                "%",
                "increase",
                "quarterly",
                52.0,
                65.0,
                "mia",
                0.95,
                OFFICIAL,
            ),
            (
                "NSS-04",
                "Deaths in road traffic accidents",
                "people",
                "decrease",
                "annual",
                2310.0,
                1700.0,
                "mia",
                0.55,
                OFFICIAL,
            ),
            (
                "NSS-05",
                "Street crimes in Almaty",
                "cases",
                "decrease",
                "quarterly",
                1450.0,
                1000.0,
                "akimat-almaty-city",
                1.0,
                OFFICIAL,
            ),
        ],
    ),
    (
        "Information and cyber security",
        1.0,
        [
            (
                "NSS-06",
                "Critical information infrastructure objects with a security operations centre",
                "%",
                "increase",
                "annual",
                35.0,
                100.0,
                "ministry-ai-digital-development",
                1.1,
                OFFICIAL,
            ),
            (
                "NSS-07",
                "Cyber incidents in state information systems",
                "incidents",
                "decrease",
                "quarterly",
                410.0,
                250.0,
                "ministry-ai-digital-development",
                0.4,
                SECRET,
            ),
            (
                "NSS-08",
                "Citizens trained in digital hygiene",
                "thousand people",
                "increase",
                "annual",
                120.0,
                900.0,
                "ministry-ai-digital-development",
                0.9,
                OFFICIAL,
            ),
            ("NSS-09", "Internet fraud cases", "cases", "decrease", "monthly", 1900.0, 1200.0, "mia", 0.3, OFFICIAL),
        ],
    ),
    (
        "Protection from emergencies",
        1.0,
        [
            (
                "NSS-10",
                "People killed in emergencies",
                "people",
                "decrease",
                "annual",
                410.0,
                300.0,
                "ministry-emergency-situations",
                1.05,
                OFFICIAL,
            ),
            (
                "NSS-11",
                "Settlements covered by the warning system",
                "%",
                "increase",
                "annual",
                68.0,
                100.0,
                "ministry-emergency-situations",
                1.05,
                OFFICIAL,
            ),
            (
                "NSS-12",
                "Average arrival time of fire crews in cities",
                "minutes",
                "decrease",
                "quarterly",
                9.5,
                7.0,
                "ministry-emergency-situations",
                1.0,
                OFFICIAL,
            ),
        ],
    ),
    (
        "Economic and energy security",
        1.0,
        [
            (
                "NSS-13",
                "Reserve of fuel for power stations",
                "days",
                "increase",
                "quarterly",
                21.0,
                30.0,
                "ministry-energy",
                0.7,
                SECRET,
            ),
            (
                "NSS-14",
                "Wear of heat and power networks",
                "%",
                "decrease",
                "annual",
                67.0,
                52.0,
                "ministry-energy",
                0.35,
                OFFICIAL,
            ),
            (
                "NSS-15",
                "Self-sufficiency in staple foods",
                "%",
                "increase",
                "annual",
                82.0,
                95.0,
                "ministry-agriculture",
                0.95,
                OFFICIAL,
            ),
            (
                "NSS-16",
                "Suspicious financial operations examined",
                "thousand",
                "increase",
                "annual",
                14.0,
                25.0,
                "agency-financial-monitoring",
                1.2,
                SECRET,
            ),
        ],
    ),
    (
        "Defence capability",
        1.2,
        [
            (
                "NSS-17",
                "Units fully equipped with modern arms",
                "%",
                "increase",
                "annual",
                41.0,
                80.0,
                "ministry-defence",
                1.05,
                SECRET,
            ),
            (
                "NSS-18",
                "Staffing of units with contract servicemen",
                "%",
                "increase",
                "annual",
                78.0,
                95.0,
                "ministry-defence",
                1.0,
                SECRET,
            ),
            (
                "NSS-19",
                "Exercises held with neighbouring states",
                "exercises",
                "increase",
                "annual",
                6.0,
                12.0,
                "ministry-defence",
                1.0,
                OFFICIAL,
            ),
            (
                "NSS-20",
                "Public trust in the armed forces",
                "%",
                "increase",
                "annual",
                58.0,
                70.0,
                "ministry-defence",
                0.95,
                OFFICIAL,
            ),
        ],
    ),
]
ROADS_GOALS: list[tuple[str, float, list[tuple]]] = [
    (
        "Safer roads",
        2.0,
        [
            (
                "RS-01",
                "Road deaths per 100,000 people",
                "per 100,000",
                "decrease",
                "annual",
                12.1,
                8.0,
                "mia",
                0.5,
                OFFICIAL,
            ),
            (
                "RS-02",
                "Road accidents with injuries",
                "accidents",
                "decrease",
                "quarterly",
                4100.0,
                3300.0,
                "mia",
                1.0,
                OFFICIAL,
            ),
            (
                "RS-03",
                "Dangerous road sections rebuilt",
                "sections",
                "increase",
                "annual",
                0.0,
                240.0,
                "ministry-transport",
                0.85,
                OFFICIAL,
            ),
            (
                "RS-04",
                "Roads of republican significance in good condition",
                "%",
                "increase",
                "annual",
                79.0,
                95.0,
                "ministry-transport",
                0.95,
                OFFICIAL,
            ),
            (
                "RS-05",
                "Automatic speed cameras in operation",
                "cameras",
                "increase",
                "annual",
                1800.0,
                5000.0,
                "mia",
                1.1,
                OFFICIAL,
            ),
        ],
    ),
    (
        "Help after an accident",
        1.0,
        [
            (
                "RS-06",
                "Ambulance arrival on highways",
                "minutes",
                "decrease",
                "annual",
                38.0,
                25.0,
                "ministry-health",
                1.0,
                OFFICIAL,
            ),
            (
                "RS-07",
                "Deaths of injured within 30 days",
                "people",
                "decrease",
                "annual",
                640.0,
                450.0,
                "ministry-health",
                0.45,
                OFFICIAL,
            ),
            (
                "RS-08",
                "Trauma centres on international transport corridors",
                "centres",
                "increase",
                "annual",
                40.0,
                60.0,
                "ministry-health",
                1.0,
                OFFICIAL,
            ),
        ],
    ),
    (
        "Safe behaviour on the road",
        1.0,
        [
            ("RS-09", "Drunk-driving offences", "cases", "decrease", "quarterly", 5200.0, 4000.0, "mia", 0.9, OFFICIAL),
            (
                "RS-10",
                "Children killed on the roads",
                "children",
                "decrease",
                "annual",
                160.0,
                100.0,
                "mia",
                1.0,
                OFFICIAL,
            ),
            (
                "RS-11",
                "Schools with road-safety lessons",
                "%",
                "increase",
                "annual",
                55.0,
                100.0,
                "ministry-education",
                1.05,
                OFFICIAL,
            ),
            (
                "RS-12",
                "Seat-belt use, drivers and front passengers",
                "%",
                "increase",
                "annual",
                64.0,
                90.0,
                "mia",
                1.0,
                OFFICIAL,
            ),
            (
                "RS-13",
                "Road accidents in Almaty",
                "accidents",
                "decrease",
                "monthly",
                260.0,
                200.0,
                "akimat-almaty-city",
                0.9,
                OFFICIAL,
            ),
            (
                "RS-14",
                "Pedestrian crossings with lighting in Almaty",
                "%",
                "increase",
                "annual",
                40.0,
                100.0,
                "akimat-almaty-city",
                1.0,
                OFFICIAL,
            ),
            (
                "RS-15",
                "Public-awareness campaigns held",
                "campaigns",
                "increase",
                "annual",
                10.0,
                30.0,
                "ministry-culture-information",
                1.0,
                OFFICIAL,
            ),
        ],
    ),
]
EMERGENCY_GOALS: list[tuple[str, float, list[tuple]]] = [
    (
        "Floods and mudflows",
        1.5,
        [
            (
                "ES-01",
                "Settlements protected by dams",
                "settlements",
                "increase",
                "annual",
                310.0,
                480.0,
                "ministry-water-resources",
                0.5,
                OFFICIAL,
            ),
            (
                "ES-02",
                "People evacuated in the flood season",
                "thousand people",
                "decrease",
                "annual",
                12.0,
                3.0,
                "ministry-emergency-situations",
                0.2,
                OFFICIAL,
            ),
            (
                "ES-03",
                "Hydrological posts with automatic transmission",
                "%",
                "increase",
                "annual",
                30.0,
                90.0,
                "ministry-ecology",
                0.9,
                OFFICIAL,
            ),
            (
                "ES-04",
                "Mudflow warning time",
                "hours",
                "increase",
                "annual",
                2.0,
                6.0,
                "ministry-emergency-situations",
                1.0,
                OFFICIAL,
            ),
        ],
    ),
    (
        "Fires",
        1.0,
        [
            (
                "ES-05",
                "Fires in residential buildings",
                "fires",
                "decrease",
                "quarterly",
                3100.0,
                2400.0,
                "ministry-emergency-situations",
                1.0,
                OFFICIAL,
            ),
            (
                "ES-06",
                "Forest area lost to fire",
                "thousand ha",
                "decrease",
                "annual",
                60.0,
                20.0,
                "ministry-ecology",
                0.9,
                OFFICIAL,
            ),
            (
                "ES-07",
                "Fire stations in rural districts",
                "stations",
                "increase",
                "annual",
                150.0,
                260.0,
                "ministry-emergency-situations",
                0.95,
                OFFICIAL,
            ),
            (
                "ES-08",
                "Volunteer firefighters trained",
                "people",
                "increase",
                "annual",
                2000.0,
                9000.0,
                "ministry-emergency-situations",
                1.15,
                OFFICIAL,
            ),
        ],
    ),
    (
        "Readiness of the population and the state",
        1.0,
        [
            (
                "ES-09",
                "Shelters in working order",
                "%",
                "increase",
                "annual",
                47.0,
                90.0,
                "ministry-emergency-situations",
                0.6,
                SECRET,
            ),
            (
                "ES-10",
                "Regional reserve of material resources filled",
                "%",
                "increase",
                "annual",
                55.0,
                100.0,
                "ministry-finance",
                0.75,
                OFFICIAL,
            ),
            (
                "ES-11",
                "Citizens trained in civil protection",
                "thousand people",
                "increase",
                "annual",
                300.0,
                1200.0,
                "ministry-emergency-situations",
                1.0,
                OFFICIAL,
            ),
            (
                "ES-12",
                "Exercises of the civil protection system",
                "exercises",
                "increase",
                "annual",
                20.0,
                40.0,
                "ministry-emergency-situations",
                0.9,
                OFFICIAL,
            ),
            (
                "ES-13",
                "Emergency calls answered within 10 seconds",
                "%",
                "increase",
                "monthly",
                71.0,
                95.0,
                "ministry-emergency-situations",
                0.85,
                OFFICIAL,
            ),
            (
                "ES-14",
                "Earthquake-resistant schools in Almaty",
                "%",
                "increase",
                "annual",
                62.0,
                100.0,
                "akimat-almaty-city",
                0.55,
                OFFICIAL,
            ),
            (
                "ES-15",
                "Seismic sensors in operation",
                "sensors",
                "increase",
                "annual",
                120.0,
                400.0,
                "ministry-emergency-situations",
                1.0,
                OFFICIAL,
            ),
        ],
    ),
]


def _body(code: str, fallback: Organization) -> Organization:
    return Organization.objects.filter(code=code).first() or fallback


def _reporter(body: Organization, analyst: User) -> User:
    """The body's liaison officer if it has one (the demo of execution control creates them), else the analyst."""
    return User.objects.filter(role=Role.LIAISON, organization=body, is_active=True).order_by("pk").first() or analyst


def _indicators(
    document: StrategicDocument,
    goals: list[tuple[str, float, list[tuple]]],
    *,
    analyst: User,
    today: dt.date,
    rng: random.Random,
    fallback: Organization,
) -> int:
    count = 0
    for title, goal_weight, rows in goals:
        goal = services.create_goal(document, actor=analyst, title=title, weight=goal_weight)
        for code, name, unit, direction, frequency, baseline, final, body_code, performance, level in rows:
            body = _body(body_code, fallback)
            start = periods.floor(document.period_start, frequency)
            end = periods.floor(document.period_end, frequency)
            base_period = periods.shift(start, frequency, -1)
            steps = periods.count_between(base_period, end, frequency)
            plan = periods.span(start, end, frequency)
            targets = [
                (p, round(baseline + (final - baseline) * periods.count_between(base_period, p, frequency) / steps, 2))
                for p in plan
            ]
            indicator = services.create_indicator(
                document,
                actor=analyst,
                code=code,
                name=name,
                unit=unit,
                direction=direction,
                frequency=frequency,
                baseline_value=baseline,
                baseline_period=base_period,
                responsible=body,
                goal=goal,
                data_source="Bureau of National Statistics" if rng.random() < 0.5 else "Departmental statistics",
                weight=rng.choice([1.0, 1.0, 1.5, 2.0]),
                classification=level,
                targets=targets,
            )
            last = periods.shift(periods.floor(today, frequency), frequency, -1)
            values = []
            noise = abs(final - baseline) * (0.04 if frequency == "annual" else 0.08)
            for p in periods.span(start, min(last, end), frequency):
                share = periods.count_between(base_period, p, frequency) / steps
                season = 0.0 if frequency == "annual" else noise * 0.8 * ((p.month % 12) / 6 - 1)
                value = baseline + (final - baseline) * share * performance + season + rng.gauss(0, noise / 2)
                values.append((p, round(value, 2)))
            if values:
                services.record_measurements(
                    indicator, actor=_reporter(body, analyst), measurements=values, source="import"
                )
            count += 1
    return count


def load_demo(stdout: Any = None) -> None:
    if StrategicDocument.objects.filter(title=STRATEGY_TITLE).exists():  # policy: demo loader, no reader
        return
    analyst = User.objects.get(username="analyst")
    apparatus = Organization.objects.get(code="security-council-apparatus")
    rng = random.Random(2026)
    today = services.today()
    strategy = services.create_document(
        actor=analyst,
        kind="security_strategy",
        title=STRATEGY_TITLE,
        period_start=D(2021, 1, 1),
        period_end=D(2030, 12, 31),
        owner=apparatus,
        description="The long-term course of the state in ensuring national security: public order, information "
        "and cyber security, protection from emergencies, economic and energy security, defence.",
        classification=OFFICIAL,
    )
    roads = services.create_document(
        actor=analyst,
        kind="state_program",
        title="State program of road traffic safety for 2023–2027",
        period_start=D(2023, 1, 1),
        period_end=D(2027, 12, 31),
        owner=_body("mia", apparatus),
        parent=strategy,
        classification=OFFICIAL,
    )
    emergencies = services.create_document(
        actor=analyst,
        kind="state_program",
        title="State program of prevention and liquidation of emergencies for 2022–2026",
        period_start=D(2022, 1, 1),
        period_end=D(2026, 12, 31),
        owner=_body("ministry-emergency-situations", apparatus),
        parent=strategy,
        classification=OFFICIAL,
    )
    total = 0
    for document, goals in ((strategy, STRATEGY_GOALS), (roads, ROADS_GOALS), (emergencies, EMERGENCY_GOALS)):
        total += _indicators(document, goals, analyst=analyst, today=today, rng=rng, fallback=apparatus)
    services.create_report(
        strategy,
        actor=analyst,
        period=D(today.year - 1, 1, 1),
        conclusion="Public order and emergencies are on track. Cyber incidents, internet fraud, the wear of heat "
        "networks and road deaths lag behind the plan; at the present pace their final targets will not be met.",
        recommendations="Hear the Minister of Digital Development and the Minister of Internal Affairs on internet "
        "fraud; instruct the Ministry of Energy to submit a plan of renewal of heat networks.",
    )
    if stdout is not None:
        stdout.write(f"strategy: 3 documents, {total} indicators")
