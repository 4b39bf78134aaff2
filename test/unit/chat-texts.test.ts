import { describe, expect, it } from 'vitest';
import { clickToast } from '../../src/chat/core/chat-message';
import { larkCallbackResponse } from '../../src/chat/lark/lark-inbound';
import { helpText } from '../../src/chat/core/commands';
import { I18n } from '../../src/i18n';

describe('what the chat doors say on their own, in both languages', () => {
  const i18n = new I18n('zh-CN', 'Asia/Shanghai');

  it('a click toast goes to Lark with both languages (i18n), the chat language as the fallback content', () => {
    const answer = clickToast('info', i18n.text('chat.toast.alreadyReceived'));
    expect(larkCallbackResponse(answer, 'zh-CN').toast).toEqual({
      type: 'info',
      content: '已收到此次点击。',
      i18n: { zh_cn: '已收到此次点击。', en_us: 'Already received this click.' },
    });
    expect(larkCallbackResponse(answer, 'en').toast?.content).toBe('Already received this click.');
  });

  it('the not-an-alert hint keeps the detector’s reason as given, in each language', () => {
    const hint = i18n.text('chat.hint.terminal', { reason: 'no alert keyword' });
    expect(hint.en).toBe('Not read as an alert (no alert keyword). Paste the whole alert, or open an incident from any text with /diag <text>.');
    expect(hint['zh-CN']).toBe('未识别为告警（no alert keyword）。请粘贴完整的告警内容，或用 /diag <文字> 根据任意文字创建事件。');
  });

  it('/help in Chinese keeps its descriptions in one column, a Chinese character taking two', () => {
    const wide = (text: string) => [...text].reduce((n, c) => n + (/[\u4e00-\u9fff\uff00-\uff60]/.test(c) ? 2 : 1), 0);
    const lines = helpText(i18n.translator('zh-CN')).split('\n').slice(1);
    const starts = lines.map((line) => wide(/^(\s+\S.*?\s{2,})/.exec(line)?.[1] ?? ''));
    expect(new Set(starts).size).toBe(1);
  });
});
