import json


def test_example_rates_as_published(inspect_cli):
    result = inspect_cli("run", "--profile", "crc", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["overall"]["score"] == 17
