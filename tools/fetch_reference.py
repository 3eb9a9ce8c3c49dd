"""Fetch the official API schemas the tests check our calls against, when ``../shared`` is absent.

The fake Trackdéchets executes every document on Trackdéchets' own GraphQL schema, and the fake
Chorus Pro checks every body against AIFE's Swagger files (tests/trackdechets_fake.py,
tests/chorus_fake.py). A clone without ``../shared/reference`` gets the same files here, from the
publishers' public repositories, at the commits ``../shared/reference/*/SOURCE.txt`` names, each
checked against its sha256 before it is kept: a file that differs is refused, nothing half-written
stays.

    python3 tools/fetch_reference.py DEST      # DEST/reference/trackdechets/..., DEST/reference/chorus_pro/...
    HVAC_REFERENCE_BASE_URL=file:///mirror python3 tools/fetch_reference.py DEST
    python3 tools/fetch_reference.py --skipped TESTS_DIR   # the test classes that need these files

``HVAC_REFERENCE_BASE_URL`` replaces ``https://raw.githubusercontent.com`` (a mirror, or a local
copy laid out as ``<owner>/<repo>/<commit>/<path>``). Exit status 0 when every file is in DEST,
1 otherwise (the files that could not be fetched are named). Plain Python: ``./dev setup`` runs it.
"""

import ast
import hashlib
import os
import shutil
import sys
import urllib.error
import urllib.request
from pathlib import Path

RAW = "https://raw.githubusercontent.com"
TIMEOUT = 30

# (repository, commit, [(path in the repository, sha256)], folder under DEST/reference, keep the path?)
SOURCES = [
    (
        "MTES-MCT/trackdechets",
        "d04f9d81709e2ef7bbec2c63bc2603eb437e201b",
        [
            (
                "back/src/scalars/typeDefs/scalars.inputs.graphql",
                "e0aed4fe9d33daf64d8f14ab859342be265a75286d480c80d01bcfc6345cad3c",
            ),
            (
                "back/src/scalars/typeDefs/scalars.objects.graphql",
                "732ab15d0a63f2a760b88808982174aed0778919b0c4b3e90bda8aded4277fac",
            ),
            (
                "back/src/common/typeDefs/common.enums.graphql",
                "bee9a0707e9092646988b36bc3db704e915e8f784ce795796bbc5a67a6eeba9f",
            ),
            (
                "back/src/common/typeDefs/common.objects.graphql",
                "e823d9fc093e739d1701377e640b78c9dc598be104261b71169c95ff62b25fba",
            ),
            (
                "back/src/bsds/typeDefs/bsd.enums.graphql",
                "d7744d49379e7821b41e0de011b535a8788254b654d3c49ef04c68dea77355c1",
            ),
            (
                "back/src/bsds/typeDefs/bsd.inputs.graphql",
                "910494cb6f5e047b4f685ea71b3b19d2a04a23df69caa867012427ead1ec15ef",
            ),
            (
                "back/src/bsds/typeDefs/bsd.mutation.graphql",
                "c75117447c589d1d1fd92128349bc031ada5e6698d3ca6df4935f8bce11f1676",
            ),
            (
                "back/src/bsds/typeDefs/bsd.objects.graphql",
                "93788866f9215ba0cd0cd605de7f3bf4c0fe132501002f184a7cfbeb4f739471",
            ),
            (
                "back/src/bsffs/typeDefs/bsff.enums.graphql",
                "7e284566eecabd72407a2df16c395b9182c5200ff5244fe857eee65d99b08c42",
            ),
            (
                "back/src/bsffs/typeDefs/bsff.inputs.graphql",
                "7728fb9dc4172686fec184c024bf7be17d584b933ffdd0e6ce8c8468cbfd53da",
            ),
            (
                "back/src/bsffs/typeDefs/bsff.mutations.graphql",
                "8c97cfabe0e7963c50ecd065da5e83fc289d366470bdd8f8864d239b83120d31",
            ),
            (
                "back/src/bsffs/typeDefs/bsff.objects.graphql",
                "dc4adbdcdb3df9c5bfd7cd83d256ac97e6c91c7444cc89315a20833a5118b210",
            ),
            (
                "back/src/bsffs/typeDefs/bsff.queries.graphql",
                "2308817505673b8c930d104f43eeebd5cacdad2e7d1958317062f82999e434d1",
            ),
            (
                "back/src/users/typeDefs/user.enums.graphql",
                "97af786cf2e2b84b289cd333db931919a2f28ab0baae1b00c2f4a4a6c8e0eca7",
            ),
            (
                "back/src/users/typeDefs/user.objects.graphql",
                "6cbddda333eb3d81f67b8f22a89f88fb5e255b83ae5c8480419c3a0493c76e95",
            ),
            (
                "back/src/users/typeDefs/user.queries.graphql",
                "d53f2f56a484958efe0a615cf4bb25527bfe03a145f928e5a5d5ad09fb44a2d2",
            ),
            (
                "back/src/users/typeDefs/users.mutations.graphql",
                "ada71f615b2eb05cc68ac8a5f621607893bf46e950181a4a80c43370235b88a5",
            ),
            (
                "back/src/companies/typeDefs/company.enums.graphql",
                "57dbac6b2945377b81372c51d6743ed24c88dcaedbf3822afa9cf90d2cdb7e7e",
            ),
            (
                "back/src/companies/typeDefs/company.inputs.graphql",
                "877d4757afa3d42f77badfcc0fc53f7361a614521caa695291338810ad19fa8f",
            ),
            (
                "back/src/companies/typeDefs/company.mutations.graphql",
                "3c8785bdd6901353d61935209aaf0f4b3cf58c101f850c10c439262c3e020dbf",
            ),
            (
                "back/src/companies/typeDefs/company.objects.graphql",
                "3b2cba9986c8654263456778b27d816394b5281afb368efeb10eedf4dd588d77",
            ),
            (
                "back/src/companies/typeDefs/company.queries.graphql",
                "ecbf40b350838cb2c5239860b9920e2262feacba3c05c66d69350ba336011ddd",
            ),
            (
                "back/src/webhooks/typeDefs/webhooks.inputs.graphql",
                "27776991df229a85a025a3a35ec76cc5e3a12a6c49db2c9acb738a239c54b38e",
            ),
            (
                "back/src/webhooks/typeDefs/webhooks.mutations.graphql",
                "3f3c6f47ea2c0ca3dd979f81006fc6275c50fb93261f5e27820af62b896ad884",
            ),
            (
                "back/src/webhooks/typeDefs/webhooks.objects.graphql",
                "103bb9dae25bb82105ee28cf221fb5597353a0972a7a91c9f6b1886b63141b49",
            ),
            (
                "back/src/webhooks/typeDefs/webhooks.queries.graphql",
                "1af58666fb0ab38812c485b58c6921b27bdb7a4e1f2d143896ae95926dea873b",
            ),
        ],
        "trackdechets",
        True,
    ),
    (
        "betagouv/api.gouv.fr",
        "4f31f9f1c6e75932c13f94a033c29b45386c1665",
        [("public/swaggers/api-chorus-pro.json", "cd3b65592673fc39d22c3bff1db6739eb1ea39483224f3f3ed5672e253c7d616")],
        "chorus_pro",
        False,
    ),
    (
        "turbo124/piste-gouv-fr",
        "76fccb6fb7b5bdf657cb6222fa20f0ff50b5291b",
        [("doc/Structures.json", "282ca05916a89e4d8bebdccc889ccd34ceb017ef4187e0b5228676026f1d47a5")],
        "chorus_pro",
        False,
    ),
]


def pinned_files():
    """[(url path, sha256, path under reference/)] of every pinned file."""
    return [
        (f"{repo}/{commit}/{path}", digest, f"{folder}/{path if keep_path else Path(path).name}")
        for repo, commit, files, folder, keep_path in SOURCES
        for path, digest in files
    ]


def fetch(dest, base_url=None, log=print):
    """Fetch the pinned files into ``dest``/reference; returns those that could not be had.

    Everything is downloaded and checked first, into ``dest``/reference.partial: only a complete
    set replaces ``dest``/reference, so the tests never meet half a schema. Once a download
    fails (no network), the rest are not tried."""
    base_url = (base_url or os.environ.get("HVAC_REFERENCE_BASE_URL") or RAW).rstrip("/")
    final, partial = Path(dest) / "reference", Path(dest) / "reference.partial"
    if all(_matches(final / target, digest) for _url, digest, target in pinned_files()):
        return []
    shutil.rmtree(partial, ignore_errors=True)
    missing, reachable = [], True
    for url_path, digest, target in pinned_files():
        if reachable:
            content = _download(f"{base_url}/{url_path}", log)
            reachable = content is not None
        if not reachable:
            missing.append(target)
        elif _sha256(content) != digest:
            log(f"[fetch_reference] {base_url}/{url_path}: sha256 {_sha256(content)} is not the pinned {digest}")
            missing.append(target)
        else:
            (partial / target).parent.mkdir(parents=True, exist_ok=True)
            (partial / target).write_bytes(content)
    if missing:
        shutil.rmtree(partial, ignore_errors=True)
        return missing
    shutil.rmtree(final, ignore_errors=True)
    os.replace(partial, final)
    return []


def _download(url, log):
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 - pinned https or a file mirror
            return response.read()
    except (urllib.error.URLError, OSError) as error:
        log(f"[fetch_reference] cannot download {url}: {getattr(error, 'reason', error)}")
        return None


def _matches(path, digest):
    return path.is_file() and _sha256(path.read_bytes()) == digest


def _sha256(content):
    return hashlib.sha256(content).hexdigest()


# The set-up of the test classes that need the schemas: they skip, saying so, without them.
NEEDS_REFERENCE = {"start_fake", "start_fake_chorus"}


def classes_needing_reference(tests_dir):
    """Names of the test classes (read from the source) that skip without the reference files:
    those whose set-up starts a fake server, and the classes built on them."""
    classes = {}
    for path in sorted(Path(tests_dir).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                bases = {base.id if isinstance(base, ast.Name) else getattr(base, "attr", "") for base in node.bases}
                calls = {
                    call.func.id
                    for call in ast.walk(node)
                    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                }
                classes[node.name] = (bases, bool(calls & NEEDS_REFERENCE))
    needing = {name for name, (_bases, starts) in classes.items() if starts}
    while True:
        more = {name for name, (bases, _starts) in classes.items() if bases & needing} - needing
        if not more:
            return sorted(name for name in needing if name.startswith("Test"))
        needing |= more


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--skipped":
        print(", ".join(classes_needing_reference(sys.argv[2])))
        sys.exit(0)
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    not_fetched = fetch(sys.argv[1])
    if not_fetched:
        print(f"[fetch_reference] {len(not_fetched)} of {len(pinned_files())} files not fetched")
    sys.exit(1 if not_fetched else 0)
