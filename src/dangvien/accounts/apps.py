from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangvien.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from dangvien.accounts.two_factor import owed_at_sign_in

        user_logged_in.connect(owed_at_sign_in, dispatch_uid="dangvien_second_factor")
