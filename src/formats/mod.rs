//! Exchange formats at the edges: TMX, TBX, CSV, OmegaT, SRX (not implemented yet).
