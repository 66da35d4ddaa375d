"""The bundled demo shops: four generated coffee-equipment shops served on 127.0.0.1.

See ``README.md`` in this folder; the API is ``shops.generate_shops``, ``server.DemoServer``,
``targets.write_targets`` and ``gaps.PLANTED_GAPS``.
"""
