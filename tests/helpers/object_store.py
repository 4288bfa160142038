"""A real S3-compatible server (moto's server mode) on 127.0.0.1, with bucket `gaitops`: DVC
talks to it through dvc-s3 exactly as it would to S3 or MinIO (`endpointurl`)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from helpers.project import free_port

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "gaitops-test",
    "AWS_SECRET_ACCESS_KEY": "gaitops-test",
    "AWS_DEFAULT_REGION": "us-east-1",
}
BUCKET = "gaitops"


def boto_client(url: str) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=url,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
    )


@contextmanager
def object_store_server(folder: Path) -> Iterator[str]:
    """Start the server, create the bucket, yield the endpoint URL; stop it on exit."""
    port = free_port()
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **CREDENTIALS},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"the S3-compatible server did not start (see {log.name})")
        boto_client(url).create_bucket(Bucket=BUCKET)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
