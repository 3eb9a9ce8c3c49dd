"""Outside-world code of hvac_connect: pure Python, never imports odoo."""
