"""Small records that tests of pages across modules start from, built through the apps' services."""

import datetime as dt

from kenes.core.classification import Classification


def an_indicator(users, orgs, **extra):
    """An official MIA indicator (baseline 100 in 2020) of a strategy for 2021–2030."""
    from kenes.strategy import services as strategy

    document = strategy.create_document(
        actor=users["analyst"],
        kind="security_strategy",
        title="Strategy",
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2030, 12, 31),
        owner=orgs["apparatus"],
        classification=Classification.OFFICIAL,
    )
    arguments = {
        "actor": users["analyst"],
        "code": "I-1",
        "name": "Indicator",
        "unit": "%",
        "baseline_value": 100.0,
        "baseline_period": dt.date(2020, 1, 1),
        "responsible": orgs["mia"],
        **extra,
    }
    return strategy.create_indicator(document, **arguments)


def a_threat(users, orgs, title="Cyber attacks on utilities"):
    """An official internal cyber threat owned by the MIA, likelihood and impact 3."""
    from kenes.threats import services as threats

    return threats.create_threat(
        actor=users["analyst"],
        title=title,
        domain="cyber",
        scope="internal",
        likelihood=3,
        impact=3,
        owner=orgs["mia"],
        classification=Classification.OFFICIAL,
    )
