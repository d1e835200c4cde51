"""Pure domain types: regions, population bases, the person table schema. No I/O."""
