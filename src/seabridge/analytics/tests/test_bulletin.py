"""The written bulletin: exact sentences in our seven languages for constructed histories.

The example history (55,000 units in 2023) is written straight into the facts through
:func:`~seabridge.analytics.facts.facts_apply`, their own write path, as 122,000
vehicles would take seconds to insert; the smaller histories are vehicles and their
wholesale events, counted by :func:`~seabridge.analytics.facts.facts_rebuild`.
"""

from __future__ import annotations

from datetime import date

import pytest

from seabridge.analytics.bulletin import bulletin
from seabridge.analytics.choices import Measure
from seabridge.analytics.facts import Deltas, facts_apply, variant_facts
from seabridge.analytics.selectors import Facts, Filters
from seabridge.analytics.tests.conftest import Sold, write_history
from seabridge.core.errors import ValidationFailed
from seabridge.core.scope import Actor
from seabridge.core.tests.world import World

pytestmark = pytest.mark.django_db

NBSP = "\xa0"
NNBSP = "\u202f"


def sales(world: World, *rows: tuple[date, str, int]) -> None:
    """Wholesale facts of JAC's T8 diesel: (day, market, units) each."""
    variant = variant_facts([world.jac_variant.pk])[world.jac_variant.pk]
    deltas = Deltas()
    for day, market, units in rows:
        deltas.add(Measure.SALES, day, variant, market, units)
    facts_apply(deltas)


@pytest.fixture
def example(world: World) -> World:
    """2022: 10,810 at home and 38,606 abroad; 2023: 12,572 and 42,428 (55,000 in all,
    up 11.3%: 16.3% at home, 9.9% abroad); January to April 2024: 18,200."""
    sales(
        world,
        (date(2022, 3, 10), "CN", 10_810),
        (date(2022, 8, 1), "SA", 30_000),
        (date(2022, 11, 30), "IQ", 8_606),
        (date(2023, 5, 4), "CN", 12_572),
        (date(2023, 7, 15), "SA", 40_000),
        (date(2023, 12, 31), "OM", 2_428),
        (date(2024, 1, 9), "SA", 6_000),
        (date(2024, 4, 30), "CN", 12_200),
        (date(2024, 5, 1), "CN", 999),  # after the bulletin's day: not counted
    )
    return world


def write(
    actor: Actor, *, year: int = 2023, through: date | None = None, language: str = "en"
) -> str:
    return bulletin(
        facts=Facts(actor), brand_name="jac", year=year, through=through, language=language
    )


# --- the example, in every language -----------------------------------------------------------

EXAMPLE = {
    "en": (
        "Global sales reached 55,000 units in 2023, up 11.3% year on year; domestic sales grew "
        "16.3% and international sales 9.9%. From January to April 2024, cumulative sales "
        "totalled 18,200 units."
    ),
    "zh-hans": (
        "2023年全球销量达55,000辆，同比增长11.3%；其中国内销量增长16.3%，国际销量增长9.9%。"
        "2024年1月至4月，累计销量18,200辆。"
    ),
    "ar": (
        "بلغت المبيعات العالمية 55,000 وحدة في عام 2023، بارتفاع 11.3% على أساس سنوي؛ "
        "ونمت المبيعات المحلية بنسبة 16.3% والمبيعات الدولية بنسبة 9.9%. "
        "من يناير إلى أبريل 2024، بلغت المبيعات التراكمية 18,200 وحدة."
    ),
    "es": (
        f"Las ventas mundiales alcanzaron 55.000 unidades en 2023, un 11,3{NBSP}% más que el "
        f"año anterior; las ventas nacionales crecieron un 16,3{NBSP}% y las internacionales "
        f"un 9,9{NBSP}%. De enero a abril de 2024, las ventas acumuladas sumaron 18.200 unidades."
    ),
    "pt-br": (
        "As vendas globais chegaram a 55.000 unidades em 2023, alta de 11,3% em relação ao ano "
        "anterior; as vendas no mercado interno cresceram 16,3% e as internacionais, 9,9%. "
        "De janeiro a abril de 2024, as vendas acumuladas somaram 18.200 unidades."
    ),
    "fr": (
        f"Les ventes mondiales ont atteint 55{NNBSP}000 unités en 2023, en hausse de "
        f"11,3{NBSP}% sur un an{NNBSP}; les ventes intérieures ont progressé de 16,3{NBSP}% "
        f"et les ventes internationales de 9,9{NBSP}%. De janvier à avril 2024, les ventes "
        f"cumulées ont atteint 18{NNBSP}200 unités."
    ),
    "ru": (
        f"В 2023 году мировые продажи составили 55{NBSP}000 автомобилей, что на 11,3{NBSP}% "
        f"больше, чем годом ранее; продажи на внутреннем рынке выросли на 16,3{NBSP}%, на "
        f"внешних рынках — на 9,9{NBSP}%. По итогам января–апреля 2024 года совокупные "
        f"продажи составили 18{NBSP}200 автомобилей."
    ),
}


@pytest.mark.parametrize("language", list(EXAMPLE))
def test_the_example_in_every_language(example, language):
    text = write(example.jac_admin, through=date(2024, 4, 30), language=language)
    assert text == EXAMPLE[language]


def test_without_through_only_the_year_is_written(example):
    assert write(example.jac_viewer) == (
        "Global sales reached 55,000 units in 2023, up 11.3% year on year; domestic sales grew "
        "16.3% and international sales 9.9%."
    )


def test_one_month_and_part_of_a_month(example):
    january = "In January 2024, sales totalled 6,000 units."
    assert write(example.jac_admin, through=date(2024, 1, 31)).endswith(" " + january)
    assert write(example.jac_admin, through=date(2024, 1, 31), language="zh-hans").endswith(
        "。2024年1月，销量6,000辆。"
    )
    assert write(example.jac_admin, through=date(2024, 1, 31), language="ru").endswith(
        f" По итогам января 2024 года продажи составили 6{NBSP}000 автомобилей."
    )
    # The last month is not over: the days are named, not the months.
    assert write(example.jac_admin, through=date(2024, 4, 29)).endswith(
        " From January 1, 2024 to April 29, 2024, cumulative sales totalled 6,000 units."
    )
    assert write(example.jac_admin, through=date(2024, 4, 29), language="zh-hans").endswith(
        "。2024年1月1日至2024年4月29日，累计销量6,000辆。"
    )


def test_a_partner_reads_its_own_markets_only(example):
    # Zhongjiang is granted Saudi Arabia and Iraq: 38,606 and 40,000, no home market.
    assert write(example.partner_admin, through=date(2024, 4, 30)) == (
        "Global sales reached 40,000 units in 2023, up 3.6% year on year; there were no "
        "domestic sales and international sales grew 3.6%. From January to April 2024, "
        "cumulative sales totalled 6,000 units."
    )


def test_other_filters_of_the_facts_are_kept(example):
    facts = Facts(example.jac_admin, Filters(market_codes=("CN",)))
    text = bulletin(facts=facts, brand_name="JAC", year=2023, through=None, language="en")
    assert text == (
        "Global sales reached 12,572 units in 2023, up 16.3% year on year; domestic sales grew "
        "16.3% and there were no international sales."
    )


# --- decline, "new", nothing, one unit: from vehicles and their events ------------------------


def test_a_decline_both_at_home_and_abroad(world):
    write_history(
        world,
        [
            Sold(date(2022, 5, 1), "CN", 50),
            Sold(date(2022, 5, 1), "SA", 75),
            Sold(date(2023, 5, 1), "CN", 48),
            Sold(date(2023, 9, 1), "SA", 73),
        ],
    )
    assert write(world.jac_admin) == (
        "Global sales totalled 121 units in 2023, down 3.2% year on year; domestic sales fell "
        "4.0% and international sales 2.7%."
    )
    assert write(world.jac_admin, language="zh-hans") == (
        "2023年全球销量为121辆，同比下降3.2%；其中国内销量下降4.0%，国际销量下降2.7%。"
    )


def test_growth_at_home_and_a_decline_abroad(world):
    write_history(
        world,
        [
            Sold(date(2022, 5, 1), "CN", 40),
            Sold(date(2022, 5, 1), "SA", 60),
            Sold(date(2023, 5, 1), "CN", 44),
            Sold(date(2023, 5, 1), "IQ", 56),
        ],
    )
    assert write(world.jac_admin) == (
        "Global sales totalled 100 units in 2023, flat year on year; domestic sales grew 10.0% "
        "and international sales fell 6.7%."
    )
    assert write(world.jac_admin, language="zh-hans") == (
        "2023年全球销量为100辆，同比持平；其中国内销量增长10.0%，国际销量下降6.7%。"
    )
    assert write(world.jac_admin, language="fr") == (
        f"Les ventes mondiales se sont établies à 100 unités en 2023, stables sur un an{NNBSP}; "
        f"les ventes intérieures ont progressé de 10,0{NBSP}% et les ventes internationales "
        f"ont reculé de 6,7{NBSP}%."
    )


def test_sales_over_nothing_are_new_not_a_division(world):
    write_history(world, [Sold(date(2023, 2, 1), "SA", 21), Sold(date(2024, 3, 5), "CN", 2)])
    assert write(world.jac_admin, through=date(2024, 3, 31)) == (
        "Global sales reached 21 units in 2023, against none the year before; there were no "
        "domestic sales and international sales rose from none to 21 units. From January to "
        "March 2024, cumulative sales totalled 2 units."
    )
    assert write(world.jac_admin, through=date(2024, 3, 31), language="zh-hans") == (
        "2023年全球销量达21辆，上年无销量；其中无国内销量，国际销量从零增至21辆。"
        "2024年1月至3月，累计销量2辆。"
    )
    # Russian counts 21 and 2 with their own plural forms.
    assert write(world.jac_admin, through=date(2024, 3, 31), language="ru") == (
        "В 2023 году мировые продажи составили 21 автомобиль, тогда как годом ранее продаж не "
        "было; продаж на внутреннем рынке не было, а продажи на внешних рынках выросли с нуля "
        "до 21 автомобиля. По итогам января–марта 2024 года совокупные продажи составили "
        "2 автомобиля."
    )


def test_one_unit_is_singular(world):
    write_history(world, [Sold(date(2022, 2, 1), "CN", 1), Sold(date(2023, 2, 1), "CN", 1)])
    assert write(world.jac_admin, through=date(2024, 1, 31)) == (
        "Global sales totalled 1 unit in 2023, flat year on year; domestic sales were flat and "
        "there were no international sales. In January 2024, sales totalled 0 units."
    )
    assert write(world.jac_admin, language="ar") == (
        "بلغت المبيعات العالمية 1 وحدة في عام 2023، دون تغيير على أساس سنوي؛ "
        "واستقرت المبيعات المحلية، ولم تُسجَّل مبيعات دولية."
    )


def test_no_sales_in_the_year(world):
    write_history(world, [Sold(date(2022, 2, 1), "SA", 3)])
    assert write(world.jac_admin) == (
        "There were no sales in 2023, against 3 units the year before."
    )
    assert write(world.jac_admin, year=2021) == "There were no sales in 2021."
    assert write(world.jac_admin, year=2021, language="zh-hans") == "2021年无销量。"


# --- refusals -------------------------------------------------------------------------------


def test_a_brand_the_actor_cannot_see_is_refused_by_name(example):
    with pytest.raises(ValidationFailed) as refused:
        write(example.nezha_admin)
    assert refused.value.fields == {"brand": ["No brand named jac."]}


def test_bad_year_through_and_language_are_named(example):
    with pytest.raises(ValidationFailed) as refused:
        write(example.jac_admin, year=2023, through=date(2023, 6, 30), language="de")
    assert refused.value.fields == {
        "language": ["Choose one of en, zh-hans, ar, es, pt-br, fr, ru."],
        "through": ["Give a day after 2023: the year to date follows the year."],
    }
    with pytest.raises(ValidationFailed) as refused:
        write(example.jac_admin, year=1949)
    assert refused.value.fields == {"year": ["Give a year from 1950 to 2998."]}
