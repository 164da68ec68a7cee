"""Independent evaluations for the theory tests: Feynman-parameter integrals by quadrature."""

import math

from scipy.integrate import quad


def exact_lepton_g2_loop(m, mf, ms, cl, cr, qf, nc=3):
    """Leveille's Feynman-parameter integrals with the lepton mass kept (quadrature).

    Photon on F: -Q_F int [(cl^2+cr^2)/2 x^2(1-x) + (m_F/m) cl cr x^2] / D_F,
    D_F = m^2 x^2 + (m_F^2 - m^2) x + m_S^2 (1-x); photon on S (Q_S = -1 - Q_F):
    Q_S int [(cl^2+cr^2)/2 x^2(1-x) + (m_F/m) cl cr x(1-x)] / D_S,
    D_S = m^2 x^2 + (m_S^2 - m^2) x + m_F^2 (1-x); both times N_c m^2/(8 pi^2)
    (Leveille, NPB 137 (1978) 63; Queiroz & Shepherd, arXiv:1403.2309).
    """
    qs, avg, eps = -1.0 - qf, 0.5 * (cl**2 + cr**2), mf / m

    def on_f(x):
        return (avg * x**2 * (1 - x) + eps * cl * cr * x**2) / (
            m**2 * x**2 + (mf**2 - m**2) * x + ms**2 * (1 - x)
        )

    def on_s(x):
        return (avg * x**2 * (1 - x) + eps * cl * cr * x * (1 - x)) / (
            m**2 * x**2 + (ms**2 - m**2) * x + mf**2 * (1 - x)
        )

    kw = {"epsabs": 0, "epsrel": 1e-11, "limit": 200}
    return (
        nc
        * m**2
        / (8 * math.pi**2)
        * (-qf * quad(on_f, 0, 1, **kw)[0] + qs * quad(on_s, 0, 1, **kw)[0])
    )
