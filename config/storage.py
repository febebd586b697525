"""Where uploaded files live: the local disk (the embedded default) or an S3-compatible bucket.

Two storages, named in Django's ``STORAGES``:

- ``default``: public media (Wagtail images and their renditions, news and programme pictures).
  Anyone may read them at their URL; on S3 they are ``public-read`` objects with plain URLs that
  a CDN may cache.
- ``private``: files only their owners and officers may read (report photos, volunteers' evidence
  photos, employers' licence photos). They never have a public URL: on S3 they are private objects
  and ``url()`` is a presigned URL that lives ``PRIVATE_MEDIA_URL_MAX_AGE`` seconds; on disk they
  sit outside ``MEDIA_ROOT`` (never served by ``SERVE_MEDIA``) and ``url()`` is a signed link to
  core's private-file view, alive as long. Either way a URL is handed out only by a page that has
  checked who is asking (see core/storage.py).

This module only builds the settings (strings and dicts); the classes are in core/storage.py.
"""

from urllib.parse import urlsplit

S3_BACKEND_PUBLIC = "core.storage.PublicS3Storage"
S3_BACKEND_PRIVATE = "core.storage.PrivateS3Storage"


def _split_domain(value):
    """``cdn.example.org/media`` or ``https://cdn.example.org/media`` -> (protocol, domain)."""
    if "://" in value:
        parts = urlsplit(value)
        return f"{parts.scheme}:", (parts.netloc + parts.path).rstrip("/")
    return "https:", value.rstrip("/")


def s3_storages(env, *, private_max_age):
    """``(default, private, origins)`` for S3 from the ``S3_*`` variables, or None when
    ``S3_BUCKET`` is unset. ``origins`` are where browsers fetch public media from (for the CSP)."""
    bucket = env("S3_BUCKET", "")
    if not bucket:
        return None
    common = {"file_overwrite": False, "signature_version": "s3v4"}
    for option, name in (("endpoint_url", "S3_ENDPOINT_URL"), ("region_name", "S3_REGION"),
                         ("access_key", "S3_ACCESS_KEY_ID"), ("secret_key", "S3_SECRET_ACCESS_KEY"),
                         ("addressing_style", "S3_ADDRESSING_STYLE")):
        if env(name, ""):
            common[option] = env(name)
    public = {**common, "bucket_name": bucket, "querystring_auth": False,
              # "public-read" unless told otherwise: set S3_PUBLIC_ACL empty when the bucket refuses
              # ACLs and a bucket policy makes the public part readable instead.
              "default_acl": env("S3_PUBLIC_ACL", "public-read") or None}
    domain = env("S3_CUSTOM_DOMAIN", "")
    if domain:
        public["url_protocol"], public["custom_domain"] = _split_domain(domain)
    private_bucket = env("S3_PRIVATE_BUCKET", "")
    private = {**common, "bucket_name": private_bucket or bucket,
               # Same bucket: a prefix of its own, which a bucket policy must leave out.
               "location": "" if private_bucket else env("S3_PRIVATE_PREFIX", "private"),
               "querystring_auth": True, "querystring_expire": private_max_age, "default_acl": "private"}
    return public, private, _public_origins(public)


def _public_origins(options):
    """The origins of public media URLs, for img-src: the custom domain, the endpoint (path-style)
    or the bucket's own host (virtual-hosted style), as boto3 would write them."""
    if options.get("custom_domain"):
        host = options["custom_domain"].split("/", 1)[0]
        return [f"{options['url_protocol']}//{host}"]
    bucket = options["bucket_name"]
    endpoint = options.get("endpoint_url")
    if endpoint:
        parts = urlsplit(endpoint)
        origins = [f"{parts.scheme}://{parts.netloc}"]
        if options.get("addressing_style") != "path":
            origins.append(f"{parts.scheme}://{bucket}.{parts.netloc}")
        return origins
    region = options.get("region_name")
    if region and region.startswith("cn-"):  # AWS China: its own domain, regional hosts only
        hosts = [f"{bucket}.s3.{region}.amazonaws.com.cn"]
    else:
        hosts = [f"{bucket}.s3.amazonaws.com"] + ([f"{bucket}.s3.{region}.amazonaws.com"] if region else [])
    return [f"https://{host}" for host in hosts]
