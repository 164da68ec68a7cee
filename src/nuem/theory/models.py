"""Moments predicted by models beyond the SM: plain formulas with units (PHYSICS §8).

All moments are returned in hepunits (divide by ``nuem.units.mu_B`` for Bohr magnetons); masses
are hepunits energies. A formula written "mu = e x F" with F in inverse mass gives
mu/mu_B = 2 m_e F, since mu_B = e/(2 m_e).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem import units as u
from nuem._validate import finite, in_range, non_negative, positive
from nuem.errors import NuemInputError


def _to_moment(natural_over_e: np.ndarray) -> np.ndarray:
    """e x F (F in MeV^-1) -> moment in hepunits."""
    return 2.0 * c.m_e.value * natural_over_e * u.mu_B


def su2h_transition_moment(
    f_fprime: ArrayLike,
    sin_2alpha: ArrayLike,
    m_h: ArrayLike,
    m_H: ArrayLike,
    m_tau: float | None = None,
) -> np.ndarray:
    """SU(2)_H transition moment mu_{nu_e nu_mu} [hepunits] (Babu, Jana & Lindner 2020).

    arXiv:2007.04291 (the formula as given in PHYSICS §8; the paper's text was not readable here):

    mu = e (f f'/8 pi^2) m_tau sin 2alpha [ (ln(m_h^2/m_tau^2) - 1)/m_h^2
                                            - (ln(m_H^2/m_tau^2) - 1)/m_H^2 ],
    with f f' the product of the Yukawa couplings of the charged scalars h, H (masses m_h, m_H,
    mixing angle alpha) to the tau. It vanishes for m_h = m_H (the SU(2)_H symmetric limit in
    which the induced neutrino mass also vanishes). Second derivation (tests/test_theory_zee.py):
    the Zee-type loop of ``nuem.theory.zee`` with the tau inside and f_mu_tau Y_e_tau =
    -f_e_tau Y_mu_tau = -f f' gives this formula, coefficient included, at leading log.
    """
    ff = finite("f_fprime", f_fprime)
    s2a = in_range("sin_2alpha", sin_2alpha, -1.0, 1.0)
    mh = positive("m_h", m_h, "(hepunits energy)")
    mH = positive("m_H", m_H, "(hepunits energy)")
    mt = c.m_tau.value if m_tau is None else float(positive("m_tau", m_tau))

    def term(m: np.ndarray) -> np.ndarray:
        return (np.log(m**2 / mt**2) - 1.0) / m**2

    return _to_moment(ff / (8.0 * math.pi**2) * mt * s2a * (term(mh) - term(mH)))


def left_right_moment(
    m_lepton: ArrayLike,
    sin_2xi: ArrayLike,
    m_W2: ArrayLike = math.inf,
    m_nu: ArrayLike = 0.0,
) -> np.ndarray:
    """Left-right symmetric model moment [hepunits] (Giunti & Studenikin, RMP 87 (2015) 531).

    mu = (e G_F/(2 sqrt2 pi^2)) [ m_l (1 - m_W1^2/m_W2^2) sin 2xi + (3/4) m_nu (1 + m_W1^2/m_W2^2) ]
    (Kim 1976; Marciano & Sanda 1977; Beg, Marciano & Ruderman 1978), W_L-W_R mixing angle xi,
    m_W1 = m_W. The first term (m_l sin 2xi, PHYSICS §8) dominates; for xi = 0 and m_W2 -> inf
    the second term is the Fujikawa-Shrock SM moment. Both coefficients are re-derived in
    tests/test_theory_models.py from Leveille's vector-loop integrals (which reproduce the SM
    W term of a_mu and Fujikawa-Shrock); the relative sign of the two terms is the sign
    convention of xi.
    """
    ml = non_negative("m_lepton", m_lepton, "(hepunits energy)")
    s2x = in_range("sin_2xi", sin_2xi, -1.0, 1.0)
    mw2 = non_negative("m_W2", m_W2, "(hepunits energy)", allow_inf=True)
    if np.any(mw2 <= c.m_W.value):
        raise NuemInputError(f"m_W2 = {m_W2!r} is not allowed; it must exceed m_W (or be inf)")
    mnu = non_negative("m_nu", m_nu, "(hepunits energy)")
    r = c.m_W.value**2 / mw2**2
    bracket = ml * (1.0 - r) * s2x + 0.75 * mnu * (1.0 + r)
    return _to_moment(c.G_F.value / (2.0 * math.sqrt(2.0) * math.pi**2) * bracket)


def leptoquark_moment(
    m_LQ: ArrayLike,
    m_q: ArrayLike | None = None,
    couplings: ArrayLike = 1.0,
    n_colour: int = 1,
) -> np.ndarray:
    """Leptoquark estimate mu ~ lambda lambda' N_c e m_q/(16 pi^2 m_LQ^2) [hepunits] (PHYSICS §8).

    Chirality flip on the internal quark of mass ``m_q`` [energy] (None: the b quark, PDG
    m_b(m_b) = 4.186 GeV, ``nuem.constants.m_b``); an order-of-magnitude estimate (the seed's
    formula: couplings and colour factor 1, the defaults).
    """
    mlq = positive("m_LQ", m_LQ, "(hepunits energy)")
    mq = c.m_b.value if m_q is None else non_negative("m_q", m_q, "(hepunits energy)")
    lam = finite("couplings", couplings)
    return _to_moment(n_colour * lam * mq / (16.0 * math.pi**2 * mlq**2))


def rpv_susy_moment(
    m_sfermion: ArrayLike,
    lambda2: ArrayLike = 1.0,
    m_f: ArrayLike | None = None,
    n_colour: int = 1,
) -> np.ndarray:
    """R-parity-violating SUSY transition moment mu ~ lambda lambda' N_c e m_f/(8 pi^2 m_sf^2).

    One-loop fermion-sfermion diagram with the chirality flip on the internal fermion f (default
    the tau; for lambda' couplings use the b quark and n_colour = 3), as in Barbieri, Guzzo,
    Masiero & Tommasini, PLB 252 (1990) 251 and the review of Giunti & Studenikin (sect. V).
    Returns hepunits; an order-of-magnitude relation. The full loop is that of
    ``nuem.theory.scalar_pair`` (f and two L-R-mixed sfermions): for one coupling ordering,
    maximal mixing and the heavier sfermion decoupled it is e m_f lambda lambda' g_S(t)/(32 pi^2
    m_sf^2), so this estimate is the loop with g_S ~ ln(m_sf^2/m_f^2) - 1 replaced by 4 (0.34
    of it for the tau at 1 TeV; tested). The couplings that make an antisymmetric (moment)
    rather than symmetric (mass) product are model input, not fixed here.
    """
    msf = positive("m_sfermion", m_sfermion, "(hepunits energy)")
    mf = c.m_tau.value if m_f is None else non_negative("m_f", m_f, "(hepunits energy)")
    lam = finite("lambda2", lambda2)
    return _to_moment(n_colour * lam * mf / (8.0 * math.pi**2 * msf**2))


def rpv_susy_scale(
    mu: ArrayLike,
    lambda2: ArrayLike = 1.0,
    m_f: ArrayLike | None = None,
    n_colour: int = 1,
) -> np.ndarray:
    """Sfermion mass scale [hepunits] that gives moment ``mu`` in :func:`rpv_susy_moment`.

    m_sf = sqrt(lambda lambda' N_c m_f mu_B 2 m_e / (8 pi^2 mu)): a measured mu points to new
    physics below this scale (for couplings <= lambda2).
    """
    x = positive("mu", mu, "(hepunits)") / u.mu_B
    mf = c.m_tau.value if m_f is None else non_negative("m_f", m_f, "(hepunits energy)")
    lam = non_negative("lambda2", lambda2)
    return np.sqrt(2.0 * c.m_e.value * n_colour * lam * mf / (8.0 * math.pi**2 * x))
