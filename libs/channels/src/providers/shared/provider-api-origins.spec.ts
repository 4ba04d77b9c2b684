import { PROVIDER_API_ORIGINS } from '@nudge/settings';
import { FCM_PROVIDER } from '../fcm/fcm.provider';
import { FCM_API } from '../fcm/fcm.settings';
import { MESSENGER_PROVIDER } from '../messenger/messenger.provider';
import { GRAPH_API } from '../messenger/messenger.settings';
import { SMSAPI_API, SMSAPI_PROVIDER } from '../smsapi/smsapi.settings';
import { TELEGRAM_PROVIDER } from '../telegram/telegram.provider';
import { TELEGRAM_API } from '../telegram/telegram.settings';
import { TWILIO_API, TWILIO_PROVIDER } from '../twilio/twilio.settings';
import { VIBER_PROVIDER } from '../viber/viber.provider';
import { VIBER_API } from '../viber/viber.settings';
import { VK_PROVIDER } from '../vk/vk.provider';
import { VK_API } from '../vk/vk.settings';
import { WHATSAPP_CLOUD_API, WHATSAPP_CLOUD_PROVIDER } from '../whatsapp-cloud/whatsapp-cloud.settings';

describe('the provider API hosts settings validation allows', () => {
  it("are the adapters' own default base URLs, one per adapter with a baseUrl", () => {
    expect(PROVIDER_API_ORIGINS).toEqual({
      [FCM_PROVIDER]: FCM_API,
      [MESSENGER_PROVIDER]: GRAPH_API,
      [SMSAPI_PROVIDER]: SMSAPI_API,
      [TELEGRAM_PROVIDER]: TELEGRAM_API,
      [TWILIO_PROVIDER]: TWILIO_API,
      [VIBER_PROVIDER]: VIBER_API,
      [VK_PROVIDER]: VK_API,
      [WHATSAPP_CLOUD_PROVIDER]: WHATSAPP_CLOUD_API,
    });
  });
});
