"""はじめての設定 (onboarding) wizard: registration form → mail to the fund → VPN settings → connection test →
the establishment itself (number, name, user ID, mode, ZIP password, VPN setting), created and made active
(when the app's services are given) → (optional) the mailbox the OTP is read from.

Self-contained: the main window only calls `show_onboarding_wizard(parent)`. Every rule lives in
`onboarding.registration` and the VPN driver; this file only asks, shows and waits. File writing,
ZIP packing, the .vpn import and the connection test run on the worker pool (`ui.worker`).
The steps are weeks apart in real life (the fund answers in 2-3 weeks), so the first page lets
the user jump straight to importing the VPN settings file.

The pages live beside it: `onboarding_registration_pages.py` (introduction, form, mail to the fund),
`onboarding_vpn_page.py`, `onboarding_profile_page.py` and `onboarding_mail_page.py`; the page ids in
`onboarding_steps.py`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QWidget,
    QWizard,
)

from denshi_client.i18n import pick
from denshi_client.ui.onboarding_profile_page import ProfilePage
from denshi_client.ui.onboarding_registration_pages import FormPage, IntroPage, SendPage
from denshi_client.ui.onboarding_steps import (
    PAGE_FORM,
    PAGE_INTRO,
    PAGE_MAIL,
    PAGE_PROFILE,
    PAGE_SEND,
    PAGE_VPN,
)
from denshi_client.ui.onboarding_vpn_page import VpnPage

__all__ = [
    "PAGE_FORM", "PAGE_INTRO", "PAGE_MAIL", "PAGE_PROFILE", "PAGE_SEND", "PAGE_VPN", "FormPage", "IntroPage",
    "OnboardingWizard", "ProfilePage", "SendPage", "VpnPage", "show_onboarding_wizard",
]


class OnboardingWizard(QWizard):
    profile_created = Signal(str)  # the new establishment's profile id (already active)

    def __init__(self, parent: QWidget | None = None, *, driver: Any = None, demo: bool | None = None,
                 services: Any = None, setup_first: bool = False) -> None:
        """`services`: the app's `AppServices` (creates the establishment; its VPN driver lists the settings)."""
        super().__init__(parent)
        if driver is None and services is not None:
            driver = services.vpn
        self.setWindowTitle(pick("はじめての設定 - 電子連携クライアント", "First-time set-up - Denshi Client"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.intro = IntroPage(setup_first)
        self.form = FormPage()
        self.send = SendPage(self.form)
        self.vpn = VpnPage(self.form, driver=driver, demo=demo)
        self.setPage(PAGE_INTRO, self.intro)
        self.setPage(PAGE_FORM, self.form)
        self.setPage(PAGE_SEND, self.send)
        self.setPage(PAGE_VPN, self.vpn)
        if services is not None:  # the wizard can create the establishment itself
            self.profile = ProfilePage(self.form, self.vpn, services)
            self.setPage(PAGE_PROFILE, self.profile)
        from denshi_client.ui.onboarding_mail_page import MailPage

        self.mail = MailPage()
        self.setPage(PAGE_MAIL, self.mail)
        self.setButtonText(QWizard.WizardButton.NextButton, pick("次へ >", "Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, pick("< 戻る", "< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, pick("完了", "Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, pick("キャンセル", "Cancel"))
        self.resize(720, 620)


def show_onboarding_wizard(parent: QWidget | None = None, *, driver: Any = None, demo: bool | None = None,
                           services: Any = None, setup_first: bool = False) -> OnboardingWizard:
    """Open the wizard (non-modal) and return it; the caller may connect to `finished` and `profile_created`."""
    w = OnboardingWizard(parent, driver=driver, demo=demo, services=services, setup_first=setup_first)
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    w.show()
    return w
