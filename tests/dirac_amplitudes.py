"""Independent numerical evaluation of nu e scattering with explicit 4x4 Dirac matrices.

Test-only helper: it does NOT import ``nuem.xsec.electron``. Everything here is built from the
Lagrangian with numbers, no trace theorems and no closed-form cross sections:

- Dirac-representation gamma matrices, explicit spinors u(p, s), v(p, s) (normalised
  ubar u = 2m, completeness sum u ubar = pslash + m, sum v vbar = pslash - m), and explicit
  lab-frame four-momenta k (nu, along z), p = (m, 0) (electron at rest), p' (recoil electron
  with kinetic energy T at the angle fixed by energy-momentum conservation, any azimuth),
  k' = k + p - p'.
- Amplitudes (metric (+,-,-,-); every amplitude uses the same rule M = (coupling_1)(coupling_2)
  J_1.J_2/(Q^2 - m_boson^2) for vertices -i x coupling x Gamma):

  * Z exchange (contact, Q^2 << m_Z^2):
    M_Z = -sqrt2 G_F [nu g(gV_nu - gA_nu g5) nu][e g(gV_e - gA_e g5) e]
    with gV_f = T3 - 2 Q_f s_W^2, gA_f = T3 (nu: T3 = 1/2, Q = 0; e: T3 = -1/2, Q = -1);
  * W exchange for nu_e (contact), field order (ebar nu)(nubar e): -(G_F/sqrt2) times the crossed
    spinor product, with the minus sign of the odd permutation of fermion fields relative to the
    (nubar nu)(ebar e) order. No Fierz identity is used: the spinors are contracted as they stand;
  * photon exchange with the neutrino charge form factor F(Q^2) = q + Q^2 <r^2>/6 and electron
    charge -1: M_gamma = -e^2 F(Q^2)/Q^2 [nu g^mu nu][e g_mu e]; returned per unit q ("q") and per
    unit <r^2> in MeV^-2 ("r2");
  * dipole (L ⊃ ½ mu Nbar σ^{ρσ} nu_L F_{ρσ} + h.c.): vertex mu σ^{ρσ} q_ρ with
    q = k - k' = p' - p, so
    M_mu = e/Q^2 [Nbar σ^{ρσ} q_ρ nu][e γ_σ e] per unit mu in MeV^-1 (overall phase irrelevant: it
    does not interfere, which :func:`spin_sums` lets one check).

- Incoming (anti)neutrino: massless, only the state the left-handed field annihilates
  (P_L u for nu, P_L v for nubar), not averaged; electron spin averaged (1/2); final spins summed.
  Antineutrino lines use vbar(k) Gamma v(k') for the same operators (the common sign of the
  antiparticle contraction drops out of |M|^2 and of the relative signs).

Cross section: for a target at rest dsigma/dt = |M|^2_avg/(16 pi (s - m^2)^2) with s - m^2 = 2 m E
(flux and two-body phase space), and t = -2 m T so |dt/dT| = 2m:

    dsigma/dT = |M|^2_avg / (32 pi m E^2)        (natural units, MeV^-3).
"""

from __future__ import annotations

import math

import numpy as np

# ------------------------------------------------------------------------- Dirac algebra

METRIC = np.diag([1.0, -1.0, -1.0, -1.0])
_I2 = np.eye(2, dtype=complex)
_Z2 = np.zeros((2, 2), dtype=complex)
PAULI = [
    np.array([[0, 1], [1, 0]], dtype=complex),
    np.array([[0, -1j], [1j, 0]], dtype=complex),
    np.array([[1, 0], [0, -1]], dtype=complex),
]

GAMMA = [np.block([[_I2, _Z2], [_Z2, -_I2]])] + [
    np.block([[_Z2, s], [-s, _Z2]]) for s in PAULI
]  # gamma^mu, upper index, Dirac representation
GAMMA5 = 1j * GAMMA[0] @ GAMMA[1] @ GAMMA[2] @ GAMMA[3]
ID4 = np.eye(4, dtype=complex)
PL = 0.5 * (ID4 - GAMMA5)
PR = 0.5 * (ID4 + GAMMA5)
#: sigma^{mu nu} = (i/2)[gamma^mu, gamma^nu], upper indices
SIGMA = [[0.5j * (GAMMA[a] @ GAMMA[b] - GAMMA[b] @ GAMMA[a]) for b in range(4)] for a in range(4)]


def slash(p: np.ndarray) -> np.ndarray:
    """p-slash = gamma^mu p_mu for a contravariant four-vector p."""
    pl = METRIC @ p
    return sum(GAMMA[mu] * pl[mu] for mu in range(4))


def bar(psi: np.ndarray) -> np.ndarray:
    return psi.conj() @ GAMMA[0]


def _sigma_dot_p(p3: np.ndarray) -> np.ndarray:
    return p3[0] * PAULI[0] + p3[1] * PAULI[1] + p3[2] * PAULI[2]


_CHI = [np.array([1.0, 0.0], dtype=complex), np.array([0.0, 1.0], dtype=complex)]


def u_spinors(p: np.ndarray, m: float) -> list[np.ndarray]:
    """u(p, s), s = up, down (Dirac rep.), ubar u = 2m; p = (E, p3) with E = sqrt(p3^2 + m^2)."""
    E = p[0]
    sp = _sigma_dot_p(p[1:])
    n = math.sqrt(E + m)
    return [np.concatenate([n * chi, (sp @ chi) / n]) for chi in _CHI]


def v_spinors(p: np.ndarray, m: float) -> list[np.ndarray]:
    """v(p, s) for the two spin states (Dirac rep.), vbar v = -2m."""
    E = p[0]
    sp = _sigma_dot_p(p[1:])
    n = math.sqrt(E + m)
    return [np.concatenate([(sp @ eta) / n, n * eta]) for eta in _CHI]


def dot(a: np.ndarray, b: np.ndarray) -> complex:
    return a @ METRIC @ b


# ---------------------------------------------------------------------------- kinematics


def lab_momenta(E: float, T: float, M: float, m: float, phi: float = 0.7):
    """(k, p, k', p') in the lab frame for nu(E) e(at rest) -> X(M) e(T); raises if forbidden.

    cos(theta_e) = (M^2 + 2 T (E + m)) / (2 E |p'|) from (k + p - p')^2 = M^2.
    """
    pe = math.sqrt(T * T + 2.0 * m * T)
    cth = (M * M + 2.0 * T * (E + m)) / (2.0 * E * pe)
    if not (-1.0 <= cth <= 1.0):
        raise ValueError(f"(E, T, M) = ({E}, {T}, {M}) is kinematically forbidden")
    sth = math.sqrt(max(0.0, 1.0 - cth * cth))
    k = np.array([E, 0.0, 0.0, E])
    p = np.array([m, 0.0, 0.0, 0.0])
    pp = np.array([m + T, pe * sth * math.cos(phi), pe * sth * math.sin(phi), pe * cth])
    kp3 = k[1:] + p[1:] - pp[1:]
    # on-shell energy of the outgoing neutral lepton from its momentum (avoids cancellation in M)
    kp = np.concatenate([[math.sqrt(kp3 @ kp3 + M * M)], kp3])
    return k, p, kp, pp


# ---------------------------------------------------------------------------- amplitudes


def _current(left: np.ndarray, gamma_list, right: np.ndarray) -> np.ndarray:
    """Contravariant current J^mu = left-bar Gamma^mu right for a list of 4 matrices."""
    lb = bar(left)
    return np.array([lb @ g @ right for g in gamma_list])


def _contract(J1: np.ndarray, J2: np.ndarray) -> complex:
    return J1 @ METRIC @ J2


def _nc_couplings(sin2w: float):
    gv_nu, ga_nu = 0.5, 0.5
    gv_e, ga_e = -0.5 - 2.0 * (-1.0) * sin2w, -0.5
    return gv_nu, ga_nu, gv_e, ga_e


def spin_sums(
    E: float,
    T: float,
    *,
    m: float,
    G_F: float,
    alpha: float,
    sin2w: float,
    M: float = 0.0,
    anti: bool = False,
    flavour: str = "mu",
    channels: tuple[str, ...] = ("weak", "q", "r2", "mu"),
    phi: float = 0.7,
) -> dict[tuple[str, str], complex]:
    """H[(i, j)] = (1/2) sum_spins M_i M_j^* for the amplitudes ``channels`` (natural units).

    Channels: "weak" (Z, plus W for flavour "e"), "q" (photon, per unit millicharge), "r2"
    (photon, per unit <r^2> [MeV^-2]), "mu" (dipole, per unit moment [MeV^-1]; final-state mass
    M). With M > 0 only "mu" is meaningful (the other channels have a massless final nu).
    """
    e = math.sqrt(4.0 * math.pi * alpha)
    k, p, kp, pp = lab_momenta(E, T, M, m, phi)
    # four-momentum carried by the photon / Z from the neutrino line, q = k - k' = p' - p; the
    # electron side has small components, so take it from there (and Q^2 = -2 m T exactly)
    q = pp - p
    Q2 = -2.0 * m * T
    ql = METRIC @ q
    sig_q = [
        sum(SIGMA[rho][s] * ql[rho] for rho in range(4)) for s in range(4)
    ]  # sigma^{rho s} q_rho
    gv_nu, ga_nu, gv_e, ga_e = _nc_couplings(sin2w)
    g_nu_nc = [g @ (gv_nu * ID4 - ga_nu * GAMMA5) for g in GAMMA]
    g_e_nc = [g @ (gv_e * ID4 - ga_e * GAMMA5) for g in GAMMA]
    g_va = [g @ (ID4 - GAMMA5) for g in GAMMA]

    if anti:
        nu_in = [PL @ v for v in v_spinors(k, 0.0)]
        nu_out = v_spinors(kp, M)
    else:
        nu_in = [PL @ s for s in u_spinors(k, 0.0)]
        nu_out = u_spinors(kp, M)
    e_in = u_spinors(p, m)
    e_out = u_spinors(pp, m)

    H = {(a, b): 0.0j for a in channels for b in channels}
    for ni in nu_in:
        for no in nu_out:
            # neutrino-line spinor pair: (left-bar, right)
            L, R = (ni, no) if anti else (no, ni)
            J_nu_nc = _current(L, g_nu_nc, R)
            J_nu_v = _current(L, GAMMA, R)
            J_nu_dip = _current(L, sig_q, R)
            for ei in e_in:
                for eo in e_out:
                    J_e_nc = _current(eo, g_e_nc, ei)
                    J_e_v = _current(eo, GAMMA, ei)
                    amps = {}
                    if "weak" in channels:
                        a = -math.sqrt(2.0) * G_F * _contract(J_nu_nc, J_e_nc)
                        if flavour == "e":
                            # (ebar g(1-g5) nu)(nubar g(1-g5) e): crossed spinor product, and a
                            # relative minus sign (odd permutation of the four fermion fields).
                            if anti:
                                Ja = _current(eo, g_va, no)  # ebar(p') ... v(k')
                                Jb = _current(ni, g_va, ei)  # vbar(k) ... u(p)
                            else:
                                Ja = _current(eo, g_va, ni)  # ebar(p') ... u(k)
                                Jb = _current(no, g_va, ei)  # ubar(k') ... u(p)
                            a -= -(G_F / math.sqrt(2.0)) * _contract(Ja, Jb)
                        amps["weak"] = a
                    if "q" in channels:
                        amps["q"] = -(e**2) / Q2 * _contract(J_nu_v, J_e_v)
                    if "r2" in channels:
                        amps["r2"] = -(e**2) / 6.0 * _contract(J_nu_v, J_e_v)
                    if "mu" in channels:
                        amps["mu"] = e / Q2 * _contract(J_nu_dip, J_e_v)
                    for a_ in channels:
                        for b_ in channels:
                            H[(a_, b_)] += 0.5 * amps[a_] * np.conj(amps[b_])
    return H


def dsigma_dT(H: complex | float, E: float, m: float) -> float:
    """dsigma/dT [MeV^-3] from the electron-spin-averaged |M|^2: |M|^2/(32 pi m E^2)."""
    return float(np.real(H)) / (32.0 * math.pi * m * E * E)
