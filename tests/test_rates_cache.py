"""Content-hash caching of the rates engine."""

import numpy as np

from nuem import units as u
from nuem.rates import cache, experiment_templates, resolve_card, solar_source
from nuem.rates.moments import flux_moments, source_fingerprint


def test_keys_follow_content():
    a = cache.content_key("x", np.arange(3.0), {"b": 1.0})
    assert a == cache.content_key("x", np.arange(3.0), {"b": 1.0})
    assert a != cache.content_key("x", np.arange(3.0) + 1e-12, {"b": 1.0})
    assert a != cache.content_key("x", np.arange(3.0), {"b": 1.0 + 1e-15})


def test_source_fingerprint_distinguishes_models():
    gs98 = source_fingerprint(solar_source("b16-gs98"))
    assert gs98 == source_fingerprint(solar_source("b16-gs98"))
    assert gs98 != source_fingerprint(solar_source("b16-agss09met"))
    assert gs98 != source_fingerprint(solar_source("b16-gs98", "inverted"))


def test_templates_are_reused_and_bins_matter():
    card = resolve_card("xenonnt-sr0")
    t1 = experiment_templates(card)
    assert experiment_templates("xenonnt_sr0_er_2022") is t1
    t2 = experiment_templates(card, "1:30:0.5")
    assert t2 is not t1 and t2.n == 58
    np.testing.assert_allclose(t2.sm.reshape(-1, 2).sum(1), t1.sm, rtol=1e-5)
    assert t1.metadata["card_hash"] == card.content_hash


def test_disk_cache_roundtrip(tmp_path):
    src = solar_source()
    folder = cache.enable_disk_cache(tmp_path)
    try:
        cache.clear()
        m1 = flux_moments(src, "flavour")
        files = list(folder.glob("*.npz"))
        assert len(files) == 1
        cache.clear()
        m2 = flux_moments(src, "flavour")  # read back from disk
        np.testing.assert_array_equal(m1.C, m2.C)
        x = np.array([0.01, 0.5]) * u.MeV
        np.testing.assert_array_equal(m1(x), m2(x))
    finally:
        cache.disable_disk_cache()
        cache.clear()
    assert cache.disk_cache_dir() is None
