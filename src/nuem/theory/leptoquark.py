"""S1 + R2~ scalar leptoquarks: neutrino transition moments, Majorana masses and Delta a_mu.

Fields (Dorsner et al., Phys. Rept. 641 (2016) 1, arXiv:1603.04993, notation), third-generation
quarks only, CKM mixing neglected, flavour index i = e, mu, tau:

- S1 ~ (3bar, 1, 1/3): lam_L[i] Q3^c-bar i tau2 L_i S1 (b^c nu_i and t^c l_i_L with the same
  coupling) and y_R[i] t^c_R-bar l_i_R S1;
- R2~ ~ (3, 2, 1/6): y_tilde[i] b_R-bar R2~ i tau2 L_i (b nu_i via R2~^{-1/3}, b l_i_L via
  R2~^{2/3});
- the Higgs mixes S1 with R2~^{-1/3*}: mass eigenstates X1 = cos(theta) S1 - sin(theta) R2~*,
  X2 = sin(theta) S1 + cos(theta) R2~* with masses m1, m2 (Brdar, Greljo, Kopp & Opferkuch,
  arXiv:2007.15563, sect. 4; Babu, Jana & Lindner, arXiv:2007.04291).

Neutrino transition moment (b-quark chirality flip, ``nuem.theory.loops.neutral_dipole`` with
F = b, Q_F = -1/3, N_c = 3, summed over X1, X2 with the mixing weights -+ sin(2 theta)/2):

    mu_ij = e m_b sin(2 theta)/(32 pi^2) (lam_L_i y~_j - lam_L_j y~_i)
            x [g_S(t1)/m1^2 - g_S(t2)/m2^2],

t_a = m_b^2/m_a^2, g_S(t) -> ln(1/t) - 1: antisymmetric in flavour (a Majorana transition moment).
The same loop without the photon gives the Majorana mass (one-loop self-energy, b mass insertion)

    dm_ij = 3 m_b sin(2 theta)/(32 pi^2) (lam_L_i y~_j + lam_L_j y~_i) [L(m1) - L(m2)],
    L(m) = m^2 ln(m^2/m_b^2)/(m^2 - m_b^2)      (-> ln(m1^2/m2^2) for m_b -> 0),

the form recalled from Dorsner et al. (sect. 7) and Päs & Schumacher, arXiv:1510.08757 (their
text not read here), checked against the B0 Feynman integral by quadrature. Both are the loop of
``nuem.theory.scalar_pair`` with F = b (N_c = 3, |Q_b| = 1/3). The moment is
antisymmetric and the mass symmetric in the coupling product: couplings with lam_L_i y~_j =
-lam_L_j y~_i (an SU(2)_H-like symmetry acting on (nu_i, nu_j)) keep mu_ij and remove dm_ij --
the Voloshin-like suppression. One S1 + R2~ pair has a rank-one Y_ij = lam_L_i y~_j, which can
cancel one off-diagonal mass entry but not the diagonal ones; an antisymmetric Y (two copies,
e.g. an SU(2)_H doublet of leptoquarks) removes the whole mass. :func:`voloshin_suppression` is
dm_ij over the naive m ~ m1^2 mu/(2 m_e mu_B) of Babu, Jana & Lindner.

Delta a_mu (``nuem.theory.loops.lepton_g2_scalar_loop``): the S1 top loop (mu^- -> tbar S1*,
Q_F = -2/3, weights cos^2(theta), sin^2(theta) on X1, X2) with the m_t/m_mu-enhanced term
~ (m_mu m_t/(4 pi^2 m^2)) (ln(m^2/m_t^2) - 7/4) Re(lam_L y_R*) for m >> m_t (Bauer & Neubert,
PRL 116 (2016) 141802), and the R2~^{2/3} bottom loop (mu^- -> b R2~^{2/3*}, Q_F = -1/3, one
chirality: no enhancement).

Normalisation: mu_ij is the left-handed -> right-handed amplitude coefficient (the d that
``MomentMatrix`` holds), summed over both orderings of the two vertices; Majorana conventions that
add a factor 2 are not applied (see docs/theory.md). Couplings are real.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nuem import constants as c
from nuem._validate import finite, in_range, positive
from nuem.errors import NuemInputError
from nuem.theory.loops import lepton_g2_scalar_loop
from nuem.theory.muon_g2 import DEFAULT_MUON_G2, muon_g2_reference
from nuem.theory.predictions import mass_from_moment
from nuem.theory.scalar_pair import pair_majorana_mass, pair_transition_moments

_Q_B = -1.0 / 3.0
_Q_TBAR = -2.0 / 3.0
_N_C = 3


def _flavour_vector(name: str, x: ArrayLike) -> np.ndarray:
    a = finite(name, x)
    if a.shape[-1:] != (3,):
        raise NuemInputError(f"{name} has shape {a.shape}; allowed: (..., 3) over (e, mu, tau)")
    return a


def coupling_matrix(lam_L: ArrayLike, y_tilde: ArrayLike) -> np.ndarray:
    """Y_ij = lam_L_i y~_j, shape (..., 3, 3), for one S1 + R2~ pair (real couplings (..., 3)).

    Several copies (e.g. an SU(2)_H doublet of leptoquarks, Babu, Jana & Lindner) add their Y;
    the moments take Y - Y^T, the masses Y + Y^T, so an antisymmetric sum has no mass at all.
    """
    lam = _flavour_vector("lam_L", lam_L)
    yt = _flavour_vector("y_tilde", y_tilde)
    return lam[..., :, None] * yt[..., None, :]


def leptoquark_transition_moments(
    Y: ArrayLike,
    m1: ArrayLike,
    m2: ArrayLike,
    sin_2theta: ArrayLike,
    m_b: float | None = None,
) -> np.ndarray:
    """Majorana transition moments mu_ij [hepunits], shape (..., 3, 3), antisymmetric.

    ``Y``: (..., 3, 3) coupling matrix lam_L_i y~_j (:func:`coupling_matrix`; flavours e, mu, tau);
    ``m1``, ``m2``: the charge-1/3 leptoquark masses [energy]; ``sin_2theta``: their mixing;
    ``m_b`` default PDG m_b(m_b). The loop of ``nuem.theory.scalar_pair`` with F = b
    (N_c = 3, |Q_b| = 1/3). Divide by ``nuem.units.mu_B`` for Bohr magnetons.
    """
    mq = c.m_b.value if m_b is None else float(positive("m_b", m_b, "(hepunits energy)"))
    return pair_transition_moments(Y, mq, m1, m2, sin_2theta, _N_C, -_Q_B)


def leptoquark_majorana_mass(
    Y: ArrayLike,
    m1: ArrayLike,
    m2: ArrayLike,
    sin_2theta: ArrayLike,
    m_b: float | None = None,
) -> np.ndarray:
    """One-loop Majorana mass matrix dm_ij [hepunits energy], shape (..., 3, 3), symmetric.

    dm = 3 m_b sin(2 theta)/(32 pi^2) (lam_i y~_j + lam_j y~_i) [L(m1) - L(m2)] (module doc;
    ``nuem.theory.scalar_pair``); vanishes for m1 = m2 and for SU(2)_H-antisymmetric couplings.
    """
    mq = c.m_b.value if m_b is None else float(positive("m_b", m_b, "(hepunits energy)"))
    return pair_majorana_mass(Y, mq, m1, m2, sin_2theta, _N_C)


def _mixing_weights(sin_2theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    theta = 0.5 * np.arcsin(sin_2theta)
    return np.cos(theta) ** 2, np.sin(theta) ** 2


def leptoquark_delta_a_mu(
    lam_L_mu: ArrayLike,
    y_R_mu: ArrayLike,
    y_tilde_mu: ArrayLike,
    m1: ArrayLike,
    m2: ArrayLike,
    sin_2theta: ArrayLike = 0.0,
    m_R23: ArrayLike | None = None,
    m_top: float | None = None,
    m_b: float | None = None,
) -> dict[str, np.ndarray]:
    """Delta a_mu (dimensionless) of the S1 top loop and the R2~^{2/3} bottom loop.

    Returns {"top_nonflip", "top_flip" (the m_t/m_mu-enhanced term), "bottom", "total"}.
    ``m_R23``: mass of R2~^{2/3} [energy], default ``m2``; ``m_top`` default PDG.
    """
    mt = c.m_top.value if m_top is None else float(positive("m_top", m_top, "(energy)"))
    mq = c.m_b.value if m_b is None else float(positive("m_b", m_b, "(energy)"))
    ma = positive("m1", m1, "(hepunits energy)")
    mb2 = positive("m2", m2, "(hepunits energy)")
    mr = mb2 if m_R23 is None else positive("m_R23", m_R23, "(hepunits energy)")
    w1, w2 = _mixing_weights(in_range("sin_2theta", sin_2theta, -1.0, 1.0))
    mmu = c.m_mu.value
    lam = finite("lam_L_mu", lam_L_mu)
    yr = finite("y_R_mu", y_R_mu)
    yt = finite("y_tilde_mu", y_tilde_mu)
    n1, f1 = lepton_g2_scalar_loop(mmu, mt, ma, lam, yr, _Q_TBAR, _N_C)
    n2, f2 = lepton_g2_scalar_loop(mmu, mt, mb2, lam, yr, _Q_TBAR, _N_C)
    nb, _ = lepton_g2_scalar_loop(mmu, mq, mr, yt, 0.0, _Q_B, _N_C)
    top_nonflip = w1 * n1 + w2 * n2
    top_flip = w1 * f1 + w2 * f2
    return {
        "top_nonflip": top_nonflip,
        "top_flip": top_flip,
        "bottom": nb,
        "total": top_nonflip + top_flip + nb,
    }


def voloshin_suppression(mu_ij: ArrayLike, dm_ij: ArrayLike, scale: ArrayLike) -> np.ndarray:
    """|dm_ij| over the naive mass m1^2 |mu_ij|/(2 m_e mu_B) of the same loop (dimensionless).

    ``mu_ij`` [hepunits moment], ``dm_ij`` [energy], ``scale`` the loop mass [energy]. 1 means
    no suppression (Babu, Jana & Lindner's estimate); 0 an exact SU(2)_H-like cancellation.
    """
    naive = mass_from_moment(np.abs(np.asarray(mu_ij)), scale)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(naive > 0, np.abs(np.asarray(dm_ij)) / naive, np.nan)


@dataclass(frozen=True)
class LeptoquarkPrediction:
    """(mu_nu, dm_nu, Delta a_mu) of one S1 + R2~ point; hepunits (moments, masses)."""

    mu_nu: np.ndarray  # (..., 3, 3) transition moments
    delta_m_nu: np.ndarray  # (..., 3, 3) Majorana mass matrix
    delta_a_mu: dict[str, np.ndarray]  # top_nonflip, top_flip, bottom, total

    @property
    def mu_max(self) -> np.ndarray:
        """Largest |mu_ij| [hepunits]."""
        return np.max(np.abs(self.mu_nu), axis=(-2, -1))


def leptoquark_predictions(
    lam_L: ArrayLike,
    y_R: ArrayLike,
    y_tilde: ArrayLike,
    m1: ArrayLike,
    m2: ArrayLike,
    sin_2theta: ArrayLike,
    m_R23: ArrayLike | None = None,
) -> LeptoquarkPrediction:
    """mu_nu, dm_nu and Delta a_mu for couplings (..., 3) over (e, mu, tau) and masses [energy]."""
    lam = _flavour_vector("lam_L", lam_L)
    yr = _flavour_vector("y_R", y_R)
    yt = _flavour_vector("y_tilde", y_tilde)
    Y = coupling_matrix(lam, yt)
    return LeptoquarkPrediction(
        leptoquark_transition_moments(Y, m1, m2, sin_2theta),
        leptoquark_majorana_mass(Y, m1, m2, sin_2theta),
        leptoquark_delta_a_mu(lam[..., 1], yr[..., 1], yt[..., 1], m1, m2, sin_2theta, m_R23),
    )


def y_R_for_delta_a_mu(
    target: ArrayLike,
    lam_L_mu: ArrayLike,
    y_tilde_mu: ArrayLike,
    m1: ArrayLike,
    m2: ArrayLike,
    sin_2theta: ArrayLike = 0.0,
    m_R23: ArrayLike | None = None,
) -> np.ndarray:
    """The y_R[mu] that gives Delta a_mu = ``target`` (the root of smaller |y_R|; NaN if none).

    Delta a_mu = A y_R^2 + B y_R + C is quadratic in a real y_R (A: top non-flip per y_R^2,
    B: the chirally enhanced term, C: the rest), solved in closed form; vectorised.
    """
    tgt = finite("target", target)
    args = (y_tilde_mu, m1, m2, sin_2theta, m_R23)
    lam = finite("lam_L_mu", lam_L_mu)
    at0 = leptoquark_delta_a_mu(lam, 0.0, *args)
    a_one = leptoquark_delta_a_mu(lam, 1.0, *args)
    a_neg = leptoquark_delta_a_mu(lam, -1.0, *args)
    C = at0["total"]
    B = 0.5 * (a_one["total"] - a_neg["total"])
    A = 0.5 * (a_one["total"] + a_neg["total"]) - C
    disc = B**2 - 4.0 * A * (C - tgt)
    with np.errstate(invalid="ignore", divide="ignore"):
        sq = np.sqrt(np.where(disc >= 0, disc, np.nan))
        # numerically stable smaller root: 2(tgt - C)/(B + sign(B) sqrt(disc))
        sgn = np.where(B >= 0, 1.0, -1.0)
        root = 2.0 * (tgt - C) / (B + sgn * sq)
    return root


def leptoquark_g2_scan(
    lam_L_mu: ArrayLike,
    y_tilde_e: ArrayLike,
    m1: ArrayLike,
    m2: ArrayLike,
    sin_2theta: ArrayLike,
    mu_limit: float,
    g2_reference: str = DEFAULT_MUON_G2,
    n_sigma: float = 1.0,
) -> dict:
    """Couplings that explain Delta a_mu of ``g2_reference`` with mu_{e mu} below ``mu_limit``.

    For each (broadcast) point of ``lam_L_mu`` (S1 coupling to b nu_mu and t mu_L) and
    ``y_tilde_e`` (R2~ coupling to b nu_e), y_R[mu] is solved so that Delta a_mu hits the central
    value (:func:`y_R_for_delta_a_mu`; the other couplings are 0); the transition moment
    |mu_{e mu}| = |lam_L_mu y~_e| x loop follows. Returns arrays: ``y_R_mu``, ``delta_a_mu``,
    ``mu_e_mu`` [hepunits], ``explains`` (|pull| <= n_sigma), ``below_limit``
    (|mu| < ``mu_limit``, hepunits), ``allowed`` (both), and the reference record.
    """
    ref = muon_g2_reference(g2_reference)
    lam = finite("lam_L_mu", lam_L_mu)
    yte = finite("y_tilde_e", y_tilde_e)
    lim = float(positive("mu_limit", mu_limit, "(hepunits moment)"))
    nsig = float(positive("n_sigma", n_sigma))
    lam, yte = np.broadcast_arrays(lam, yte)
    yr = y_R_for_delta_a_mu(ref.delta_a_mu, lam, 0.0, m1, m2, sin_2theta)
    zero = np.zeros_like(lam)
    Y = coupling_matrix(np.stack([zero, lam, zero], axis=-1), np.stack([yte, zero, zero], axis=-1))
    mu = np.abs(leptoquark_transition_moments(Y, m1, m2, sin_2theta)[..., 0, 1])
    da = leptoquark_delta_a_mu(lam, np.nan_to_num(yr), 0.0, m1, m2, sin_2theta)["total"]
    explains = np.isfinite(yr) & (np.abs(ref.pull(da)) <= nsig)
    below = mu < lim
    return {
        "y_R_mu": yr,
        "delta_a_mu": da,
        "mu_e_mu": mu,
        "explains": explains,
        "below_limit": below,
        "allowed": explains & below,
        "g2_reference": ref.as_dict(),
    }
