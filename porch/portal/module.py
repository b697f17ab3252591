"""The resident's portal: the pages that gather the other modules for a resident."""

from porch.core.modules import Module, register

register(
    Module(
        app="portal",
        name="The resident's portal",
        pages={
            "home": "Home page",
            "portal:my_details": "Residents: My details",
            "portal:change_request": "Residents: Ask to change my details",
            "portal:privacy": "Residents: Who has looked at my record",
        },
    )
)
