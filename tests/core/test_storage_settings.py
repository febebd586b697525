"""config/storage.py: the S3_* variables become two storages and the origins the CSP allows."""

from config.storage import s3_storages


def settings_from(**variables):
    return s3_storages(lambda name, default=None: variables.get(name, default), private_max_age=300)


def test_without_a_bucket_files_stay_on_disk():
    assert settings_from(S3_ENDPOINT_URL="http://127.0.0.1:9000") is None


def test_one_bucket_keeps_private_files_under_their_own_prefix_with_presigned_urls():
    public, private, origins = settings_from(S3_BUCKET="fc-media", S3_ENDPOINT_URL="http://127.0.0.1:9000",
                                             S3_ADDRESSING_STYLE="path", S3_ACCESS_KEY_ID="k", S3_SECRET_ACCESS_KEY="s")
    assert public["bucket_name"] == private["bucket_name"] == "fc-media"
    assert public["querystring_auth"] is False and public["default_acl"] == "public-read"
    assert private["location"] == "private" and private["querystring_auth"] is True
    assert private["querystring_expire"] == 300 and private["default_acl"] == "private"
    assert public["access_key"] == private["access_key"] == "k"
    assert origins == ["http://127.0.0.1:9000"]


def test_a_private_bucket_a_cdn_and_no_acls():
    public, private, origins = settings_from(S3_BUCKET="fc-media", S3_PRIVATE_BUCKET="fc-private",
                                             S3_CUSTOM_DOMAIN="https://cdn.example.cn/media", S3_PUBLIC_ACL="")
    assert private["bucket_name"] == "fc-private" and private["location"] == ""
    assert "custom_domain" not in private
    assert (public["url_protocol"], public["custom_domain"]) == ("https:", "cdn.example.cn/media")
    assert public["default_acl"] is None
    assert origins == ["https://cdn.example.cn"]


def test_aws_without_an_endpoint_allows_the_buckets_own_hosts():
    *_, origins = settings_from(S3_BUCKET="fc-media", S3_REGION="eu-west-1")
    assert origins == ["https://fc-media.s3.amazonaws.com", "https://fc-media.s3.eu-west-1.amazonaws.com"]
    *_, origins = settings_from(S3_BUCKET="fc-media", S3_REGION="cn-north-1")
    assert origins == ["https://fc-media.s3.cn-north-1.amazonaws.com.cn"]
