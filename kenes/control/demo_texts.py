"""The demo's instructions in Kazakh and Russian as well as English (``kenes.core.translated``), given
through the control's ``translate`` service. Safe to run again."""

from __future__ import annotations

from typing import Any

from kenes.accounts.models import User
from kenes.control import services
from kenes.control.demo import load_demo as load_records
from kenes.control.models import Instruction
from kenes.core import translated

TASKS = {
    "Submit proposals on strengthening the protection of critical infrastructure.": (
        "Аса маңызды инфрақұрылымды қорғауды күшейту жөнінде ұсыныстар енгізілсін.",
        "Внести предложения по усилению защиты критически важной инфраструктуры.",
    ),
    "Report on the measures taken against internet fraud.": (
        "Интернет-алаяқтыққа қарсы қабылданған шаралар туралы баяндалсын.",
        "Доложить о принятых мерах по противодействию интернет-мошенничеству.",
    ),
    "Ensure the readiness of forces and means for the flood season.": (
        "Су тасқыны кезеңіне күштер мен құралдардың дайындығы қамтамасыз етілсін.",
        "Обеспечить готовность сил и средств к паводковому периоду.",
    ),
    "Complete the audit of information security of state information systems.": (
        "Мемлекеттік ақпараттық жүйелердің ақпараттық қауіпсіздігіне аудит жүргізу аяқталсын.",
        "Завершить аудит информационной безопасности государственных информационных систем.",
    ),
    "Prepare a plan of measures to reduce road traffic deaths.": (
        "Жол-көлік оқиғаларында қаза табатындар санын азайту жөніндегі іс-шаралар жоспары әзірленсін.",
        "Подготовить план мероприятий по снижению смертности в дорожно-транспортных происшествиях.",
    ),
    "Analyse the causes of the growth of cyber incidents and propose measures.": (
        "Киберинциденттер санының өсу себептері талданып, шаралар ұсынылсын.",
        "Проанализировать причины роста киберинцидентов и предложить меры.",
    ),
    "Ensure the reserve of fuel and lubricants for the heating season.": (
        "Жылыту маусымына жанар-жағармай қоры қамтамасыз етілсін.",
        "Обеспечить запас горюче-смазочных материалов на отопительный сезон.",
    ),
    "Provide information on the execution of the decision of the Security Council.": (
        "Қауіпсіздік Кеңесі шешімінің орындалуы туралы ақпарат ұсынылсын.",
        "Представить информацию об исполнении решения Совета Безопасности.",
    ),
    "Strengthen video surveillance of crowded places.": (
        "Адамдар көп жиналатын орындарда бейнебақылау күшейтілсін.",
        "Усилить видеонаблюдение в местах массового скопления людей.",
    ),
    "Draft amendments to the law on civil protection.": (
        "Азаматтық қорғау туралы заңға өзгерістер жобасы әзірленсін.",
        "Разработать проект изменений в закон о гражданской защите.",
    ),
}


def load_demo(stdout: Any = None) -> None:
    """The control's demo records, then the text of each instruction in Kazakh and Russian."""
    load_records(stdout)
    secretary = User.objects.filter(username="secretary").first()
    if secretary is not None:
        translated.translate_demo(
            Instruction, TASKS, lambda record, texts: services.translate(record, texts, actor=secretary)
        )
