"""Pure domain logic: plain values in, dataclasses out; no Flask and no ORM."""
