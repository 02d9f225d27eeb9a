"""Code the four Tidtam services share: contracts, topology, settings, Thai calendar."""
