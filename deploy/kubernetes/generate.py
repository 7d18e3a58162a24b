"""Write the kustomize base (deploy/kubernetes/base) from the registry of processes, so that a
service added to shared/mtqg_shared/registry.py gets its Deployment, Service, migration Job,
autoscaler, disruption budget and network policy by running this again:

    .venv/bin/python deploy/kubernetes/generate.py --write

Without --write it only checks that the files on disk are what it would write (exit 1 if not);
tests/deploy checks the same. Only the standard library, PyYAML and the registry are used.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from mtqg_shared.registry import GATEWAY, PROCESSES, SERVICES, Process, process

BASE = Path(__file__).resolve().parent / "base"
PART_OF = {"app.kubernetes.io/part-of": "mtqg"}
# A numeric user, so the kubelet can tell the user is not root (runAsNonRoot refuses a user
# it cannot check): the `mtqg` user each Dockerfile makes with this number and runs as.
USER_ID = 10001
WAIT_SCRIPT = "/opt/mtqg/wait_for_migrations.py"
# Measured (README.md here, "Resources"): about 105 MiB idle and 110 MiB under load for a
# service, 121 and 185 MiB for the gateway. Requests are a little above the loaded figure;
# limits leave room for an export (its peak is bounded by 64 MiB) and a 20 MiB import file.
MEMORY = {GATEWAY: ("256Mi", "768Mi")}
SERVICE_MEMORY = ("160Mi", "512Mi")
CPU_REQUEST = "250m"
CPU_LIMIT = "1"  # one uvicorn worker: a process cannot use more than one core


def image(p: Process) -> str:
    """Its image, untagged: an overlay names the release (kustomize `images`)."""
    return f"mtqg/{p.name}"


def labels(p: Process, component: str = "server") -> dict[str, str]:
    return {"app.kubernetes.io/name": p.name, "app.kubernetes.io/component": component}


def secret_env(name: str, secret: str, key: str, optional: bool = False) -> dict[str, Any]:
    ref: dict[str, Any] = {"name": secret, "key": key}
    if optional:
        ref["optional"] = True
    return {"name": name, "valueFrom": {"secretKeyRef": ref}}


def environment(p: Process) -> list[dict[str, Any]]:
    """The settings each process needs on Kubernetes; every secret comes from a Secret."""
    env = [secret_env("MTQG_DATABASE_URL", f"mtqg-{p.name}", "database-url")]
    gateway_port = process(GATEWAY).port
    if p.is_gateway:
        env.append(secret_env("MTQG_JWT_PRIVATE_KEY", "mtqg-gateway", "jwt-private-key"))
        # Read only when the gateway's database has no user yet; may be removed after.
        env.append(secret_env("MTQG_ADMIN_PASSWORD", "mtqg-gateway", "admin-password", True))
        env += [
            {"name": f"MTQG_{s.name.upper()}_URL", "value": f"http://{s.name}:{s.port}"}
            for s in SERVICES
        ]
    else:
        jwks = f"http://{GATEWAY}:{gateway_port}/.well-known/jwks.json"
        env.append({"name": "MTQG_JWKS_URL", "value": jwks})
    return env


def security_context() -> dict[str, Any]:
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "runAsUser": USER_ID,
        "runAsGroup": USER_ID,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def pod_security() -> dict[str, Any]:
    return {"runAsNonRoot": True, "fsGroup": USER_ID, "seccompProfile": {"type": "RuntimeDefault"}}


def resources(p: Process) -> dict[str, Any]:
    request, limit = MEMORY.get(p.name, SERVICE_MEMORY)
    return {
        "requests": {"cpu": CPU_REQUEST, "memory": request},
        "limits": {"cpu": CPU_LIMIT, "memory": limit},
    }


TMP = {"name": "tmp", "mountPath": "/tmp"}  # noqa: S108 (an emptyDir: the root is read-only)
SCRIPTS = {"name": "scripts", "mountPath": "/opt/mtqg", "readOnly": True}


def volumes(with_scripts: bool) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [{"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}}]
    if with_scripts:
        found.append({"name": "scripts", "configMap": {"name": "mtqg-scripts"}})
    return found


def deployment(p: Process) -> dict[str, Any]:
    http = {"path": "/readyz", "port": "http"}
    wait = {
        "name": "wait-for-migrations",
        "image": image(p),
        "command": ["python", WAIT_SCRIPT, p.name],
        "env": environment(p)[:1],
        "securityContext": security_context(),
        "resources": {
            "requests": {"cpu": "50m", "memory": "96Mi"},
            "limits": resources(p)["limits"],
        },
        "volumeMounts": [TMP, SCRIPTS],
    }
    server = {
        "name": p.name,
        "image": image(p),
        # The image's own command migrates first; here the Job does (README.md here).
        "command": ["python", "-m", p.package],
        "ports": [{"name": "http", "containerPort": p.port}],
        "env": environment(p),
        "readinessProbe": {"httpGet": http, "periodSeconds": 5, "timeoutSeconds": 2},
        "livenessProbe": {
            "httpGet": {"path": "/healthz", "port": "http"},
            "periodSeconds": 10,
            "timeoutSeconds": 2,
            "failureThreshold": 3,
        },
        "startupProbe": {
            "httpGet": {"path": "/healthz", "port": "http"},
            "periodSeconds": 2,
            "failureThreshold": 30,
        },
        # Taken out of the Service's endpoints before it stops taking connections.
        "lifecycle": {"preStop": {"exec": {"command": ["sleep", "5"]}}},
        "resources": resources(p),
        "securityContext": security_context(),
        "volumeMounts": [TMP],
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": p.name, "labels": labels(p)},
        "spec": {
            # No replicas: the HorizontalPodAutoscaler owns the count (overlays set its range).
            "selector": {"matchLabels": labels(p)},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1},
            },
            "template": {
                "metadata": {"labels": labels(p)},
                "spec": {
                    "automountServiceAccountToken": False,
                    "enableServiceLinks": False,
                    "terminationGracePeriodSeconds": 30,
                    "securityContext": pod_security(),
                    "initContainers": [wait],
                    "containers": [server],
                    "volumes": volumes(with_scripts=True),
                },
            },
        },
    }


def service(p: Process) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": p.name, "labels": labels(p)},
        "spec": {
            "selector": labels(p),
            "ports": [{"name": "http", "port": p.port, "targetPort": "http"}],
        },
    }


def migration_job(p: Process) -> dict[str, Any]:
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": f"{p.name}-migrate", "labels": labels(p, "migrate")},
        "spec": {
            "backoffLimit": 3,
            "activeDeadlineSeconds": 1800,
            "template": {
                "metadata": {"labels": labels(p, "migrate")},
                "spec": {
                    "restartPolicy": "Never",
                    "automountServiceAccountToken": False,
                    "enableServiceLinks": False,
                    "securityContext": pod_security(),
                    "containers": [
                        {
                            "name": "migrate",
                            "image": image(p),
                            "command": [
                                "python",
                                "-m",
                                "mtqg_shared.migrations",
                                p.name,
                                "upgrade",
                            ],
                            "env": environment(p)[:1],
                            "resources": resources(p),
                            "securityContext": security_context(),
                            "volumeMounts": [TMP],
                        }
                    ],
                    "volumes": volumes(with_scripts=False),
                },
            },
        },
    }


def autoscaler(p: Process) -> dict[str, Any]:
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": p.name, "labels": labels(p)},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": p.name},
            "minReplicas": 2,
            "maxReplicas": 4,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": 70},
                    },
                }
            ],
        },
    }


def disruption_budget(p: Process) -> dict[str, Any]:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": p.name, "labels": labels(p)},
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": labels(p)}},
    }


def peer(name: str, component: str = "server") -> dict[str, Any]:
    return {
        "podSelector": {
            "matchLabels": {
                "app.kubernetes.io/name": name,
                "app.kubernetes.io/component": component,
            }
        }
    }


DNS = {
    "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
}
POSTGRES = {"ports": [{"protocol": "TCP", "port": 5432}]}


def network_policies() -> list[dict[str, Any]]:
    """Nothing reaches a pod unless allowed here: anyone may reach the gateway's port, only the
    gateway may reach a service; a service may reach PostgreSQL and the gateway's keys."""
    gateway = process(GATEWAY)
    policies: list[dict[str, Any]] = [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "default-deny"},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": GATEWAY, "labels": labels(gateway)},
            "spec": {
                "podSelector": {"matchLabels": labels(gateway)},
                "policyTypes": ["Ingress", "Egress"],
                "ingress": [{"ports": [{"protocol": "TCP", "port": gateway.port}]}],
                # Services, PostgreSQL, Redis, DNS, and webhook receivers anywhere (https, or
                # http inside a private network when MTQG_WEBHOOK_ALLOW_PRIVATE is on).
                "egress": [
                    {
                        "to": [peer(s.name) for s in SERVICES],
                        "ports": [{"protocol": "TCP", "port": s.port} for s in SERVICES],
                    },
                    POSTGRES,
                    {"ports": [{"protocol": "TCP", "port": 6379}]},
                    DNS,
                    {"ports": [{"protocol": "TCP", "port": 443}, {"protocol": "TCP", "port": 80}]},
                ],
            },
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "migrate"},
            "spec": {
                "podSelector": {"matchLabels": {"app.kubernetes.io/component": "migrate"}},
                "policyTypes": ["Ingress", "Egress"],
                "egress": [POSTGRES, DNS],
            },
        },
    ]
    for s in SERVICES:
        policies.append(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "NetworkPolicy",
                "metadata": {"name": s.name, "labels": labels(s)},
                "spec": {
                    "podSelector": {"matchLabels": labels(s)},
                    "policyTypes": ["Ingress", "Egress"],
                    "ingress": [
                        {
                            "from": [peer(GATEWAY)],
                            "ports": [{"protocol": "TCP", "port": s.port}],
                        }
                    ],
                    "egress": [
                        POSTGRES,
                        DNS,
                        {
                            "to": [peer(GATEWAY)],
                            "ports": [{"protocol": "TCP", "port": gateway.port}],
                        },
                    ],
                },
            }
        )
    return policies


def kustomization() -> dict[str, Any]:
    return {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "labels": [{"pairs": PART_OF, "includeSelectors": False, "includeTemplates": True}],
        "resources": [f"{p.name}.yaml" for p in PROCESSES] + ["network-policies.yaml"],
        "configMapGenerator": [
            {"name": "mtqg-scripts", "files": ["wait_for_migrations.py"]},
        ],
    }


HEADER = "# Written by deploy/kubernetes/generate.py from the registry of processes: do not edit.\n"


def dump(documents: list[dict[str, Any]]) -> str:
    body = "---\n".join(yaml.safe_dump(d, sort_keys=False, width=100) for d in documents)
    return HEADER + body


def files() -> dict[Path, str]:
    written = {
        BASE / f"{p.name}.yaml": dump(
            [deployment(p), service(p), migration_job(p), autoscaler(p), disruption_budget(p)]
        )
        for p in PROCESSES
    }
    written[BASE / "network-policies.yaml"] = dump(network_policies())
    written[BASE / "kustomization.yaml"] = dump([kustomization()])
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    stale = [
        path for path, text in files().items() if not path.is_file() or path.read_text() != text
    ]
    if "--write" in args:
        for path in stale:
            path.write_text(files()[path])
        return 0
    for path in stale:
        print(f"{path} is out of date: run {Path(__file__).name} --write", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
