import { isUnsubscribeRequest } from './unsubscribe-keywords';

describe('isUnsubscribeRequest', () => {
  it.each(['STOP', 'stop', ' Stop \n', 'BAJA', 'baja', 'ARRET', 'arrêt', 'ARRÊT', 'arre\u0302t', 'UNSUBSCRIBE', 'unsubscribe'])(
    '%j unsubscribes',
    (text) => {
      expect(isUnsubscribeRequest(text)).toBe(true);
    },
  );

  it.each(['stop it', 'please stop', 'STOPP', 'thanks', '', 'dar de baja'])('%j does not', (text) => {
    expect(isUnsubscribeRequest(text)).toBe(false);
  });
});
