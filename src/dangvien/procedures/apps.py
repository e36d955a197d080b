from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "dangvien.procedures"
    verbose_name = "Thủ tục đảng viên"

    def ready(self) -> None:
        # Procedures kept in modules of their own add their flow to `flows` on import.
        from dangvien.core.paths import register_path_rebase
        from dangvien.procedures import badges, recognition  # noqa: F401
        from dangvien.procedures.services import paths_rebase

        register_path_rebase(paths_rebase)
        # The record forms, the import and the quality checks judge card numbers by its rule.
        from dangvien.members.rules.identifiers import register_card_rule
        from dangvien.procedures.rules.card import number_problems

        register_card_rule(number_problems)
        # Records written with a card number (the import) register it in the card registry.
        from dangvien.members.services import register_cards_follow
        from dangvien.procedures.cards import cards_from_records

        register_cards_follow(cards_from_records)
