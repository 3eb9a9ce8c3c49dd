{
    "name": "HVAC Connect",
    "summary": "Refrigerant installations, F-gas leak checks, Trackdéchets BSFF, "
    "Chorus Pro invoicing and installation sharing for French HVAC contractors",
    "version": "18.0.1.0.0",
    "category": "Services/HVAC",
    "author": "hvac_connect",
    "website": "https://github.com/hvac-connect/hvac_connect",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "countries": ["fr"],
    "depends": [
        "mail",
        "account",
        "l10n_fr",
        "l10n_fr_facturx_chorus_pro",
    ],
    "external_dependencies": {"python": ["cryptography", "asn1crypto", "requests"]},
    "data": [
        "security/hvac_connect_groups.xml",
        "security/ir.model.access.csv",
        "security/hvac_connect_security.xml",
        "data/ir_sequence_data.xml",
        "data/hvac_refrigerant_data.xml",
        "report/hvac_intervention_report.xml",
        "views/hvac_refrigerant_views.xml",
        "views/hvac_site_views.xml",
        "views/hvac_building_views.xml",
        "views/hvac_installation_views.xml",
        "views/hvac_intervention_views.xml",
        "views/hvac_container_views.xml",
        "views/res_company_views.xml",
        "views/hvac_connect_menus.xml",
    ],
    "demo": [
        "demo/hvac_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "hvac_connect/static/tests/tours/*.js",
        ],
    },
}
