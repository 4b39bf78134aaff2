import type { Language, Translator } from '../../../i18n';
import type { Command, CommandContext } from './command';

/** A language by its name, in the reader's language. */
export function languageName(tr: Translator, language: Language): string {
  return tr.t(language === 'zh-CN' ? 'cmd.lang.name.zh' : 'cmd.lang.name.en');
}

/**
 * `/lang`: which language the chat reads and how to change it; `/lang zh|en` keeps a choice for the chat
 * (anyone in the chat may: it changes only the wording) and answers in the new language; `/lang default`
 * goes back to LANGUAGE.
 */
export async function languageCommand(cmd: Extract<Command, { kind: 'lang' }>, ctx: CommandContext): Promise<string> {
  const languages = ctx.languages;
  if (!languages) return ctx.tr.t('cmd.lang.unavailable');
  const fallback = languages.i18n.defaultLanguage;
  if (cmd.language === undefined) {
    return ctx.tr.t('cmd.lang.current', { language: languageName(ctx.tr, ctx.tr.language), fallback: languageName(ctx.tr, fallback) });
  }
  const now = await languages.choose(ctx.chatId, cmd.language, ctx.sender.id);
  const tr = languages.i18n.translator(now);
  if (cmd.language === null) return tr.t('cmd.lang.reset', { language: languageName(tr, now) });
  return tr.t('cmd.lang.changed', { language: languageName(tr, now) });
}
