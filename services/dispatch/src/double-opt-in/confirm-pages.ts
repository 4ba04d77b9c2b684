import type { Channel } from '@nudge/contracts';
import type { PageLanguage } from '../recipient-links/page-language';
import { PAGE_TEXTS } from '../recipient-links/page-texts';
import { escapeHtml, recipientPage, type RecipientPage } from '../recipient-links/recipient-page';

/** What the confirmation pages say, in one language; `messages` is what a recipient calls the channel's messages. */
interface ConfirmTexts {
  confirm: { title: string; body: (messages: string) => string; button: string };
  confirmed: { title: string; body: (messages: string) => string };
  nothingToConfirm: { title: string; body: string };
}

const CONFIRM_TEXTS: Record<PageLanguage, ConfirmTexts> = {
  en: {
    confirm: {
      title: 'Confirm your subscription',
      body: (messages) => `Press the button to confirm that you want to receive our offers as ${messages}.`,
      button: 'Yes, send me offers',
    },
    confirmed: {
      title: 'Thank you, you are subscribed',
      body: (messages) => `You will receive our offers as ${messages}. Every message tells you how to unsubscribe.`,
    },
    nothingToConfirm: {
      title: 'Nothing to confirm',
      body: 'This subscription is already confirmed, or it was changed after this message was sent.',
    },
  },
  es: {
    confirm: {
      title: 'Confirma tu suscripción',
      body: (messages) => `Pulsa el botón para confirmar que quieres recibir nuestras ofertas por ${messages}.`,
      button: 'Sí, enviadme ofertas',
    },
    confirmed: {
      title: 'Gracias, ya estás suscrito',
      body: (messages) => `Recibirás nuestras ofertas por ${messages}. Cada mensaje explica cómo darte de baja.`,
    },
    nothingToConfirm: {
      title: 'Nada que confirmar',
      body: 'Esta suscripción ya está confirmada, o cambió después de enviarse este mensaje.',
    },
  },
  fr: {
    confirm: {
      title: 'Confirmez votre abonnement',
      body: (messages) => `Appuyez sur le bouton pour confirmer que vous souhaitez recevoir nos offres par ${messages}.`,
      button: 'Oui, envoyez-moi des offres',
    },
    confirmed: {
      title: 'Merci, vous êtes abonné',
      body: (messages) => `Vous recevrez nos offres par ${messages}. Chaque message indique comment vous désabonner.`,
    },
    nothingToConfirm: {
      title: 'Rien à confirmer',
      body: 'Cet abonnement est déjà confirmé, ou il a changé après l’envoi de ce message.',
    },
  },
  de: {
    confirm: {
      title: 'Bestätigen Sie Ihr Abonnement',
      body: (messages) => `Bestätigen Sie mit der Schaltfläche, dass Sie unsere Angebote als ${messages} erhalten möchten.`,
      button: 'Ja, Angebote senden',
    },
    confirmed: {
      title: 'Danke, Sie sind angemeldet',
      body: (messages) => `Sie erhalten unsere Angebote als ${messages}. Jede Nachricht sagt, wie Sie sich abmelden.`,
    },
    nothingToConfirm: {
      title: 'Nichts zu bestätigen',
      body: 'Dieses Abonnement ist bereits bestätigt oder wurde nach dem Versand dieser Nachricht geändert.',
    },
  },
  ru: {
    confirm: {
      title: 'Подтвердите подписку',
      body: (messages) => `Нажмите кнопку, чтобы подтвердить, что хотите получать наши предложения (${messages}).`,
      button: 'Да, присылайте предложения',
    },
    confirmed: {
      title: 'Спасибо, вы подписаны',
      body: (messages) => `Вы будете получать наши предложения (${messages}). В каждом сообщении сказано, как отписаться.`,
    },
    nothingToConfirm: {
      title: 'Нечего подтверждать',
      body: 'Эта подписка уже подтверждена или изменилась после отправки этого сообщения.',
    },
  },
};

/**
 * The page a GET of a confirmation link shows: a button that POSTs to the same URL. Link
 * scanners and mail security gateways fetch GETs, so a GET never confirms.
 */
export function confirmOptInPage(channel: Channel, language: PageLanguage): RecipientPage {
  const texts = CONFIRM_TEXTS[language].confirm;
  return recipientPage(
    200,
    language,
    texts.title,
    `<p>${escapeHtml(texts.body(PAGE_TEXTS[language].messagesOn[channel]))}</p>
<form method="post">
<input type="hidden" name="confirm" value="subscribe">
<button type="submit">${escapeHtml(texts.button)}</button>
</form>`,
  );
}

/** After the POST: confirmed now, or nothing to do (a second press, or the consent changed since the message). */
export function confirmedPage(channel: Channel, confirmedNow: boolean, language: PageLanguage): RecipientPage {
  const texts = CONFIRM_TEXTS[language];
  if (!confirmedNow) return recipientPage(200, language, texts.nothingToConfirm.title, `<p>${escapeHtml(texts.nothingToConfirm.body)}</p>`);
  const body = texts.confirmed.body(PAGE_TEXTS[language].messagesOn[channel]);
  return recipientPage(200, language, texts.confirmed.title, `<p>${escapeHtml(body)}</p>`);
}
