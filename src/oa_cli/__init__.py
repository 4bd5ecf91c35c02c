"""oa: the supervision ledger (督办台账) on the command line."""

__version__ = "0.2.0"
