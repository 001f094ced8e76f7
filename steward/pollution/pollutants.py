"""Pollutants a permit may list, with the medium and the unit their concentration limits use (DOMAIN.md §4.2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Medium(models.TextChoices):
    AIR = "air", _("废气")
    WATER = "water", _("废水")


class Pollutant(models.TextChoices):
    SO2 = "SO2", _("二氧化硫")
    NOX = "NOx", _("氮氧化物")
    PM = "PM", _("颗粒物")
    NMHC = "NMHC", _("挥发性有机物（以非甲烷总烃计）")
    COD = "COD", _("化学需氧量")
    NH3N = "NH3-N", _("氨氮")
    TN = "TN", _("总氮")
    TP = "TP", _("总磷")


MEDIUM_OF = {
    Pollutant.SO2: Medium.AIR,
    Pollutant.NOX: Medium.AIR,
    Pollutant.PM: Medium.AIR,
    Pollutant.NMHC: Medium.AIR,
    Pollutant.COD: Medium.WATER,
    Pollutant.NH3N: Medium.WATER,
    Pollutant.TN: Medium.WATER,
    Pollutant.TP: Medium.WATER,
}
CONCENTRATION_UNIT = {Medium.AIR: "mg/m3", Medium.WATER: "mg/L"}
FLOW_UNIT = {Medium.AIR: "m3/h", Medium.WATER: "m3/d"}
