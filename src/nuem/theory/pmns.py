"""The PMNS matrix for the theory layer: re-exported from the layer-0 module :mod:`nuem.mixing`."""

from nuem.mixing import (
    FLAVOURS,
    flavour_index,
    is_unitary,
    majorana_phase_matrix,
    pmns_from_angles,
    pmns_matrix,
)

__all__ = [
    "FLAVOURS",
    "flavour_index",
    "is_unitary",
    "majorana_phase_matrix",
    "pmns_from_angles",
    "pmns_matrix",
]
