"""PNBP fees: the price of a quantity under a tariff line (pure arithmetic, no I/O)."""

from __future__ import annotations


def price(base_price: int, included: int, extra_price: int, extra_step: int, quantity: int) -> int:
    """``base_price`` covers up to ``included`` units; each *started* ``extra_step`` above adds ``extra_price``.

    Publication (Rp50.000 up to 50 pages, Rp15.000 per further 50): 51 pages → Rp65.000, 120 → Rp80.000.
    Microdata (Rp20.000 up to 1.000.000 bytes, Rp20 per further 1.000): 1.000.001 bytes → Rp20.020.
    """
    if quantity < 1:
        raise ValueError(f"Jumlah harus minimal 1 (diterima {quantity}); isi banyaknya halaman, byte atau peta.")
    if extra_step < 1:
        raise ValueError(f"Kelipatan tambahan (extra_step) tarif harus minimal 1 (diterima {extra_step}).")
    if base_price < 0 or extra_price < 0 or included < 0:
        raise ValueError("Harga dan jumlah yang termasuk harga dasar tidak boleh negatif; periksa data tarif.")
    if quantity <= included:
        return base_price
    started_steps = -(-(quantity - included) // extra_step)  # ceiling division
    return base_price + started_steps * extra_price
