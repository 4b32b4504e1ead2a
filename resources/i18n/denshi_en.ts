<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="ja_JP">
<context>
    <name>CloseChoice</name>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="49"/>
        <source>VPN接続中です</source>
        <translation>The VPN is connected</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="50"/>
        <source>VPNに接続したままです。どうしますか？</source>
        <translation>The VPN is still connected. What would you like to do?</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="51"/>
        <source>VPN接続中は、このPCでインターネットとメールが使えません。</source>
        <translation>While the VPN is connected, this PC cannot use the internet or e-mail.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="53"/>
        <source>自動切断まで %1 です。</source>
        <translation>%1 until the automatic disconnect.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="57"/>
        <source>タスクトレイで実行を続ける(&amp;T)</source>
        <translation>Keep running in the &amp;tray</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="59"/>
        <source>最小化して実行を続ける(&amp;M)</source>
        <translation>Keep running &amp;minimised</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="61"/>
        <source>切断して終了(&amp;D)</source>
        <translation>&amp;Disconnect and quit</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="63"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ConnectFlow</name>
    <message>
        <location filename="../../src/denshi_client/ui/connect_flow.py" line="89"/>
        <source>事業所が登録されていません。</source>
        <translation>No establishment has been set up.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/connect_flow.py" line="90"/>
        <source>「ファイル」→「設定」の「事業所」タブで、事業所を追加してください。</source>
        <translation>Add one under File → Settings → Establishments.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/connect_flow.py" line="123"/>
        <source>デモモード: 基金からのメールの代わりに、デモ用の模擬メールボックスから読み取ります。</source>
        <translation>Demo mode: instead of the fund&apos;s e-mail, the one-time password is read from a practice mailbox.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/connect_flow.py" line="125"/>
        <source>デモモード: 基金からのメールの代わりに、ワンタイムパスワードは「%1」です。</source>
        <translation>Demo mode: instead of the fund&apos;s e-mail, the one-time password is &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/connect_flow.py" line="154"/>
        <source>メールのワンタイムパスワードは、先ほど受け付けられなかったものと同じです。</source>
        <translation>The one-time password in the e-mail is the same one that was just rejected.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/connect_flow.py" line="155"/>
        <source>新しいメールが届いている場合は、そのワンタイムパスワードを入力してください。</source>
        <translation>If a new e-mail has arrived, enter the one-time password from it.</translation>
    </message>
</context>
<context>
    <name>ConnectSteps</name>
    <message>
        <location filename="../../src/denshi_client/ui/connect_steps.py" line="18"/>
        <source>サービス時間の確認</source>
        <translation>Check service hours</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/connect_steps.py" line="19"/>
        <source>ワンタイムパスワードのリクエスト</source>
        <translation>Request one-time password</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/connect_steps.py" line="20"/>
        <source>ワンタイムパスワードの入力</source>
        <translation>Enter one-time password</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/connect_steps.py" line="21"/>
        <source>VPN接続を開始</source>
        <translation>Start VPN connection</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/connect_steps.py" line="22"/>
        <source>ログイン</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/connect_steps.py" line="23"/>
        <source>準備完了</source>
        <translation>Ready</translation>
    </message>
</context>
<context>
    <name>DropZone</name>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="49"/>
        <source>送信するPDFファイルをここにドラッグ＆ドロップしてください</source>
        <translation>Drag and drop the PDF files to send here</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="53"/>
        <source>ファイルを選択(&amp;L)...</source>
        <translation>Choose &amp;files...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="65"/>
        <source>送信するPDFファイルを選択</source>
        <translation>Choose the PDF files to send</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="66"/>
        <source>PDFファイル (*.pdf);;すべてのファイル (*)</source>
        <translation>PDF files (*.pdf);;All files (*)</translation>
    </message>
</context>
<context>
    <name>EmbeddedPage</name>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py" line="185"/>
        <source>アプリ内ブラウザー（バージョン {0}）</source>
        <translation>In-app browser (version {0})</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py" line="236"/>
        <source>電子連携サービス</source>
        <translation>Denshi service</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py" line="305"/>
        <source>届書の種類に「{0}」を選びました。</source>
        <translation>Selected the form type “{0}” in the page.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py" line="307"/>
        <source>ページの届書の種類が「{0}」になっているか、送信の前にご確認ください。</source>
        <translation>Please check that the page&apos;s form type is “{0}” before sending.</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <location filename="../../src/denshi_client/ui/file_actions.py" line="49"/>
        <source>フォルダーを開く</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/file_actions.py" line="49"/>
        <source>フォルダーを開けませんでした。</source>
        <translation>The folder could not be opened.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/file_actions.py" line="50"/>
        <source>エクスプローラーで次のフォルダーを開いてください: %1</source>
        <translation>Open this folder in File Explorer: %1</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/file_actions.py" line="58"/>
        <source>ファイルを開く</source>
        <translation>Open file</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/file_actions.py" line="58"/>
        <source>「%1」を開けませんでした。</source>
        <translation>Could not open &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/file_actions.py" line="70"/>
        <location filename="../../src/denshi_client/ui/file_actions.py" line="78"/>
        <source>印刷</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/file_actions.py" line="70"/>
        <source>「%1」を印刷できませんでした。</source>
        <translation>Could not print &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/file_actions.py" line="71"/>
        <source>PDFを印刷できるアプリ（Adobe Acrobat Reader など）がこのパソコンに登録されていません。</source>
        <translation>No app that can print PDFs (such as Adobe Acrobat Reader) is registered on this PC. </translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/file_actions.py" line="78"/>
        <source>「%1」をPDFビューアーで開きました。</source>
        <translation>Opened &quot;%1&quot; in the PDF viewer.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/file_actions.py" line="79"/>
        <source>このパソコンでは直接印刷できないため、ビューアーの印刷メニューから印刷してください。</source>
        <translation>This PC cannot print directly. Please print from the viewer&apos;s Print menu.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/file_actions.py" line="84"/>
        <source>PDFを表示するアプリ（Adobe Acrobat Reader など）をインストールしてから、もう一度お試しください。［フォルダーを開く］で、保存先のフォルダーからファイルを確認することもできます。</source>
        <translation>Install an app that shows PDFs (such as Adobe Acrobat Reader) and try again. You can also use &quot;Open folder&quot; to find the file in its folder.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/file_actions.py" line="97"/>
        <source>フォルダーを開く(&amp;F)</source>
        <translation>Open &amp;folder</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/file_actions.py" line="99"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="54"/>
        <source>ファイル名・受付番号などで検索</source>
        <translation>Search file names, receipt numbers...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="56"/>
        <source>検索(&amp;S):</source>
        <translation>&amp;Search:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="62"/>
        <source>送信・受信</source>
        <translation>Sent and received</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="63"/>
        <location filename="../../src/denshi_client/ui/history_view.py" line="202"/>
        <source>送信</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="64"/>
        <location filename="../../src/denshi_client/ui/history_view.py" line="202"/>
        <source>受信</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="65"/>
        <source>期間(&amp;P):</source>
        <translation>&amp;Dates:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="74"/>
        <source>CSVに書き出す(&amp;X)...</source>
        <translation>E&amp;xport CSV...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="81"/>
        <source>事業所:</source>
        <translation>Establishment:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="83"/>
        <source>区分:</source>
        <translation>Direction:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="96"/>
        <source>日時</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="96"/>
        <source>区分</source>
        <translation>Direction</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="96"/>
        <source>事業所番号</source>
        <translation>Establishment no.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="97"/>
        <source>ファイル名</source>
        <translation>File name</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="97"/>
        <source>サイズ</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="97"/>
        <source>元のファイル名</source>
        <translation>Original file name</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="98"/>
        <source>結果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="98"/>
        <source>受付番号・詳細</source>
        <translation>Receipt / details</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="117"/>
        <source>ファイルを開く(&amp;O)</source>
        <translation>&amp;Open file</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="120"/>
        <source>フォルダーを開く(&amp;G)</source>
        <translation>Open fo&amp;lder</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="123"/>
        <source>印刷(&amp;I)</source>
        <translation>Pr&amp;int</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="154"/>
        <source>すべて</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="202"/>
        <source>成功</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="202"/>
        <source>失敗</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="203"/>
        <source>取り消し</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="203"/>
        <source>未完了</source>
        <translation>Pending</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="226"/>
        <source>%1件（全%2件）</source>
        <translation>%1 shown (%2 in total)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="239"/>
        <source>受信した書類の行を1つ選んでください。</source>
        <translation>Select one row of a received document.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="241"/>
        <source>受信して保存した書類の行を選んでください。</source>
        <translation>Select the row of a document that was received and saved.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="251"/>
        <source>保存したファイルが見つかりません（移動または削除された可能性があります）。</source>
        <translation>The saved file was not found (it may have been moved or deleted).</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="257"/>
        <source>印刷できるPDFファイルがありません。</source>
        <translation>There is no PDF file to print.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="283"/>
        <source>CSVに書き出す</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="284"/>
        <source>CSVファイル (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="290"/>
        <source>%1件を書き出しました: %2</source>
        <translation>Exported %1 records: %2</translation>
    </message>
</context>
<context>
    <name>InboxView</name>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="123"/>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="310"/>
        <source>新着</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="123"/>
        <source>種類</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="123"/>
        <source>表題</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="123"/>
        <source>事業所番号</source>
        <translation>Establishment no.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="124"/>
        <source>日付</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="124"/>
        <source>サイズ</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="124"/>
        <source>保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="135"/>
        <source>一覧を更新(&amp;R)</source>
        <translation>&amp;Refresh list</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="138"/>
        <source>選択した書類をダウンロード(&amp;G)</source>
        <translation>Download &amp;selected</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="141"/>
        <source>新着をダウンロード(&amp;L)</source>
        <translation>Down&amp;load new</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="143"/>
        <source>まだ保存していない書類だけをダウンロードします。保存済みの書類をもう一度受け取るときは、選んでからダウンロードしてください。</source>
        <translation>Downloads only the documents not saved yet. To get a saved document again, select it and download it.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="332"/>
        <source>この事業所の書類 %1件（新着 %2件、未保存 %3件）</source>
        <translation>This establishment: %1 documents (%2 new, %3 not saved)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="536"/>
        <source>ほかに %1件、開けなかった書類があります。</source>
        <translation>%1 more document(s) could not be opened.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="557"/>
        <source>「%1」を開いています...</source>
        <translation>Opening &quot;%1&quot;...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="148"/>
        <source>中止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="172"/>
        <source>ファイルを開く(&amp;O)</source>
        <translation>&amp;Open file</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="174"/>
        <source>フォルダーを開く(&amp;P)</source>
        <translation>Open fold&amp;er</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="176"/>
        <source>印刷(&amp;I)</source>
        <translation>Pr&amp;int</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="197"/>
        <source>パスワードを入力して開く(&amp;J)</source>
        <translation>Open with &amp;password</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="217"/>
        <source>保存した書類（復号済み）:</source>
        <translation>Saved documents (decrypted):</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="228"/>
        <source>ダウンロードフォルダー（%1）を監視しています。</source>
        <translation>Watching the download folder (%1).</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="262"/>
        <source>ブラウザーで基金のページからダウンロードしたパスワード付Zipファイルは、接続中に自動で復号し、事業所のフォルダーに保存します。</source>
        <translation>Password-protected ZIP files you download from the fund&apos;s page in the browser are decrypted automatically while connected and saved in the establishment&apos;s folder.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="265"/>
        <source>基金から届いた書類です。ダウンロードすると自動で復号し、事業所のフォルダーに保存します。</source>
        <translation>Documents from the fund. Downloaded documents are decrypted automatically and saved in the establishment&apos;s folder.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="273"/>
        <source>一覧を取得しています...</source>
        <translation>Getting the list...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="301"/>
        <source>保存済み</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="301"/>
        <source>未開封</source>
        <translation>Not opened</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="301"/>
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="317"/>
        <source>ZIPのパスワードが違うため開けませんでした。上の「パスワードを入力して開く」から開けます。</source>
        <translation>Could not be opened because the ZIP password is wrong. Use &quot;Open with password&quot; above to open it.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="320"/>
        <source>保存済みです（ファイルは移動されています）</source>
        <translation>Saved (the files have been moved)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="323"/>
        <source>事業所 %1 の書類です。その事業所に切り替えてからダウンロードしてください。</source>
        <translation>A document of establishment %1. Switch to that establishment to download it.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="335"/>
        <source>、ほかの事業所の書類 %1件（灰色）</source>
        <translation>, %1 for other establishments (grey)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="345"/>
        <source>接続すると、基金から届いた書類の一覧を表示します。</source>
        <translation>Connect to see the documents from the fund.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="392"/>
        <source>ダウンロード・復号中 %p%</source>
        <translation>Downloading and decrypting %p%</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="393"/>
        <source>%1件の書類をダウンロードしています...</source>
        <translation>Downloading %1 documents...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="416"/>
        <source>新着の書類はありません（すべて保存済みです）。</source>
        <translation>No new documents (all are saved already).</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="418"/>
        <source>%1件の書類を保存しました（ファイル %2件）。</source>
        <translation>Saved %1 documents (%2 files).</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="421"/>
        <source>%1件は保存済みのため、二重に保存していません。</source>
        <translation> %1 were saved already and were not saved twice.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="431"/>
        <source>「%1」は保存済みです（%2）。同じ書類は二重に保存しません。</source>
        <translation>&quot;%1&quot; is saved already (%2). The same document is not saved twice.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="433"/>
        <source>「%1」を復号して保存しました（ファイル %2件）。</source>
        <translation>Decrypted and saved &quot;%1&quot; (%2 files).</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="458"/>
        <source>ダウンロードを中止しました。途中までのファイルは次回に続きから受信します。</source>
        <translation>Download stopped. It will continue from where it stopped next time.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="103"/>
        <source>事業所(&amp;E):</source>
        <translation>&amp;Establishment:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="105"/>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="45"/>
        <source>接続(&amp;C)</source>
        <translation>&amp;Connect</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="208"/>
        <source>接続(&amp;N)</source>
        <translation>Co&amp;nnection</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="110"/>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="50"/>
        <source>切断(&amp;D)</source>
        <translation>&amp;Disconnect</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="114"/>
        <source>認証画面を開く(&amp;B)</source>
        <translation>Open &amp;authentication page</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_parts.py" line="50"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_parts.py" line="24"/>
        <source>まだ事業所が登録されていません。［事業所を登録］から、事業所番号・ユーザーID・ZIPパスワード・VPN接続設定を登録してください。登録が済むと「接続」を押せるようになります。</source>
        <translation>No establishment has been set up yet. Use &quot;Set up an establishment&quot; to enter the establishment number, user ID, ZIP password and VPN connection setting. Then &quot;Connect&quot; becomes available.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_parts.py" line="30"/>
        <source>事業所を登録(&amp;W)...</source>
        <translation>Set &amp;up an establishment...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_views.py" line="83"/>
        <source>受信箱(&amp;1)</source>
        <translation>Inbox (&amp;1)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_views.py" line="84"/>
        <source>送信(&amp;2)</source>
        <translation>Send (&amp;2)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_views.py" line="85"/>
        <source>送受信履歴(&amp;3)</source>
        <translation>History (&amp;3)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="56"/>
        <source>接続しました。基金のページをこの画面に開きます。</source>
        <translation>Connected. The fund&apos;s page opens in this window.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="123"/>
        <source>接続を取りやめました。VPNには接続していません。</source>
        <translation>Connection cancelled. The VPN is not connected.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="351"/>
        <source>基金のページ(&amp;4)</source>
        <translation>Fund&apos;s page (&amp;4)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/bootstrap.py" line="68"/>
        <source>起動できませんでした。</source>
        <translation>Could not start.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="208"/>
        <source>ファイル(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="37"/>
        <source>設定(&amp;S)...</source>
        <translation>&amp;Settings...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="39"/>
        <source>終了(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="48"/>
        <source>ワンタイムパスワードを受信済みの場合の接続(&amp;O)...</source>
        <translation>Connect with a one-time password already &amp;received...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="52"/>
        <source>最新の情報に更新(&amp;R)</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="209"/>
        <source>ツール(&amp;T)</source>
        <translation>&amp;Tools</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="60"/>
        <source>初期設定アシスタント(&amp;W)...</source>
        <translation>Set-up &amp;wizard...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="62"/>
        <source>動作環境の診断(&amp;G)...</source>
        <translation>&amp;Diagnostics...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="209"/>
        <source>ヘルプ(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="67"/>
        <source>使い方(&amp;U)</source>
        <translation>&amp;How to use</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="70"/>
        <source>バージョン情報(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="216"/>
        <source>ブラウザー</source>
        <translation>browser</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="216"/>
        <source>直接</source>
        <translation>direct</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="222"/>
        <source>（事業所が登録されていません）</source>
        <translation>(no establishment set up)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="245"/>
        <source>デモモード</source>
        <translation>Demo mode</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="251"/>
        <source>準備しています...</source>
        <translation>Getting ready...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="274"/>
        <source>接続できませんでした。VPNは切断されています。</source>
        <translation>Could not connect. The VPN is disconnected.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="163"/>
        <location filename="../../src/denshi_client/ui/main_window.py" line="280"/>
        <source>電子連携クライアント</source>
        <translation>Denshi Client</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="59"/>
        <source>接続しました。用事が済んだら「切断」を押してください。</source>
        <translation>Connected. Press &quot;Disconnect&quot; when you are done.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="65"/>
        <source>インターネットへの接続が戻ったことを確認しました。</source>
        <translation>Normal internet access is back.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="28"/>
        <source>インターネットへの接続をまだ確認できません。しばらくしてからお試しください。</source>
        <translation>Internet access could not be confirmed yet. Please try again shortly.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="70"/>
        <source>サービス終了時刻</source>
        <translation>the service closing time</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="71"/>
        <source>90分の接続上限</source>
        <translation>the 90-minute limit</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="72"/>
        <source>あと約%1分で自動的にログアウトしてVPNを切断します（%2）。送受信中の作業は早めに済ませてください。</source>
        <translation>In about %1 min the app will log out and disconnect the VPN (%2). Please finish your transfers soon.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="76"/>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="84"/>
        <source>まもなく自動切断します</source>
        <translation>Disconnecting soon</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="80"/>
        <source>操作がないため、あと約%1分で自動的に切断します。続ける場合は画面を操作してください。</source>
        <translation>Nothing has been done for a while: the VPN will be disconnected in about %1 min. Use the window to keep working.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="94"/>
        <source>VPNを切断しました。</source>
        <translation>The VPN was disconnected.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/bootstrap.py" line="138"/>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="99"/>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="106"/>
        <source>VPNを切断しました</source>
        <translation>VPN disconnected</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="30"/>
        <source>インターネットとメールは通常どおり使えます。</source>
        <translation>The internet and e-mail work as usual again.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="129"/>
        <source>基金から新しい書類が%1件届いています。</source>
        <translation>%1 new documents from the fund.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="131"/>
        <source>新着の書類</source>
        <translation>New documents</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_notices.py" line="138"/>
        <source>%1件の書類を保存しました。</source>
        <translation>Saved %1 documents.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="329"/>
        <source>接続できませんでした</source>
        <translation>Could not connect</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="117"/>
        <source>動作環境の診断</source>
        <translation>Diagnostics</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="132"/>
        <source>&lt;b&gt;毎日の使い方&lt;/b&gt;&lt;ol&gt;&lt;li&gt;「事業所」を選び、「接続」を押します。&lt;/li&gt;&lt;li&gt;ワンタイムパスワードのリクエストが送られます。届いたメールを&lt;b&gt;すぐに&lt;/b&gt;開き、ワンタイムパスワードを入力します（VPN接続中はメールが使えません）。&lt;/li&gt;&lt;li&gt;VPN接続とログインが終わると「接続済み」になり、残り時間が表示されます。&lt;/li&gt;&lt;li&gt;「受信箱」で書類をダウンロードし、「送信」で届書を送ります。&lt;/li&gt;&lt;li&gt;用事が済んだら「切断」を押します。上限時間（90分）やサービス終了（20時）の前には自動で切断します。&lt;/li&gt;&lt;/ol&gt;</source>
        <translation>&lt;b&gt;Daily use&lt;/b&gt;&lt;ol&gt;&lt;li&gt;Choose the establishment and press &quot;Connect&quot;.&lt;/li&gt;&lt;li&gt;A one-time password is requested. Open the e-mail &lt;b&gt;right away&lt;/b&gt; and enter the one-time password (e-mail does not work while the VPN is connected).&lt;/li&gt;&lt;li&gt;When the VPN and the login are done, the state shows &quot;Connected&quot; with the time left.&lt;/li&gt;&lt;li&gt;Download documents in &quot;Inbox&quot; and send forms in &quot;Send&quot;.&lt;/li&gt;&lt;li&gt;Press &quot;Disconnect&quot; when you are done. The app disconnects by itself before the 90-minute limit or the 20:00 close.&lt;/li&gt;&lt;/ol&gt;</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="142"/>
        <source>使い方</source>
        <translation>How to use</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="148"/>
        <source>バージョン情報</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="150"/>
        <source>バージョン %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/window_menus.py" line="151"/>
        <source>企業年金基金の電子連携サービスを、安全な手順で利用するためのアプリです。</source>
        <translation>An app for using the pension fund&apos;s electronic linkage service safely, step by step.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/bootstrap.py" line="83"/>
        <source>デモモードで起動しています。基金のサービスとVPNは、このPCの中の練習用のものです。</source>
        <translation>Running in demo mode. The fund&apos;s service and the VPN are practice stand-ins on this PC.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/bootstrap.py" line="108"/>
        <source>送信 %1件（「送信」タブで接続後に「再試行」）</source>
        <translation>%1 upload(s) (connect, then &quot;Retry&quot; in the Send tab)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/bootstrap.py" line="113"/>
        <source>前回完了しなかった送受信があります: </source>
        <translation>Transfers from last time did not finish: </translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/bootstrap.py" line="123"/>
        <source>VPNの状態を確認できませんでした。</source>
        <translation>Could not check the VPN state.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/bootstrap.py" line="141"/>
        <source>前回のVPN接続（%1）を切断できませんでした: </source>
        <translation>Could not disconnect the VPN left from last time (%1): </translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="164"/>
        <source>タスクトレイで実行を続けています。</source>
        <translation>Still running in the notification area.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="176"/>
        <source>VPN接続中です</source>
        <translation>The VPN is connected</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="174"/>
        <source>タスクトレイで実行を続けています。切断はアイコンのメニューからできます。</source>
        <translation>Still running in the notification area. Disconnect from the icon&apos;s menu.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="197"/>
        <source>ログアウトしてVPNを切断しています。終了までお待ちください...</source>
        <translation>Logging out and disconnecting the VPN. Please wait...</translation>
    </message>
</context>
<context>
    <name>NamingAssistant</name>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="119"/>
        <source>送信ファイル名の作成</source>
        <translation>Upload file name</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="122"/>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="188"/>
        <source>（ファイルを選んでください）</source>
        <translation>(choose a file)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="138"/>
        <source>例: 0123</source>
        <translation>e.g. 0123</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="154"/>
        <source>元のファイル:</source>
        <translation>Original file:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="155"/>
        <source>届書名(&amp;K):</source>
        <translation>&amp;Form:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="158"/>
        <source>届出年月日(&amp;Y):</source>
        <translation>Filing &amp;date:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="161"/>
        <source>事業所番号(&amp;M):</source>
        <translation>&amp;Establishment no.:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="164"/>
        <source>送信ファイル名:</source>
        <translation>Upload name:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="166"/>
        <source>PDFの確認:</source>
        <translation>PDF check:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="234"/>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="240"/>
        <source>（まだ作成できません）</source>
        <translation>(not complete yet)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_parts.py" line="253"/>
        <source>事業所番号が、選択中の事業所（%1）と異なります。別の事業所の届書は、画面上部で事業所を切り替えてから送信してください。</source>
        <translation>The establishment number differs from the selected establishment (%1). To send for another establishment, switch the establishment at the top first.</translation>
    </message>
</context>
<context>
    <name>OtpDialog</name>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="37"/>
        <source>ワンタイムパスワードの入力</source>
        <translation>Enter one-time password</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="42"/>
        <source>リクエストのあと、基金から届くメールを&lt;b&gt;今すぐ&lt;/b&gt;開いて、ワンタイムパスワードを入力してください。</source>
        <translation>After the request, open the e-mail from the fund &lt;b&gt;right away&lt;/b&gt; and enter the one-time password.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="45"/>
        <source>先ほど届いたメールのワンタイムパスワードを確認して、もう一度入力してください（新しいリクエストは不要です）。</source>
        <translation>Check the one-time password in the mail you just received and type it again (no new request is needed).</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="47"/>
        <source>届いたワンタイムパスワードを入力してください。</source>
        <translation>Enter the one-time password you received.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="48"/>
        <source>基金から届くメールを&lt;b&gt;今すぐ&lt;/b&gt;開いて、ワンタイムパスワードを入力してください。</source>
        <translation>Open the e-mail from the fund &lt;b&gt;right away&lt;/b&gt; and enter the one-time password.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="53"/>
        <source>VPN接続中のため、新しいメールは受信できません。すでに受信したメールの内容をご確認ください。</source>
        <translation>While the VPN is connected, new mail cannot arrive. Please check the mail you have already received.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="55"/>
        <source>メールはVPN接続中は使えません。VPN接続を開始する前に、ここで入力を済ませてください。</source>
        <translation>E-mail does not work while the VPN is connected. Enter the password here before the VPN connection starts.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="61"/>
        <source>ユーザーID: %1</source>
        <translation>User ID: %1</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="65"/>
        <source>例: 123456</source>
        <translation>e.g. 123456</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="68"/>
        <source>ワンタイムパスワード(&amp;O):</source>
        <translation>&amp;One-time password:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="73"/>
        <source>VPN接続を開始(&amp;S)</source>
        <translation>&amp;Start VPN connection</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="73"/>
        <source>ログイン(&amp;L)</source>
        <translation>&amp;Log in</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="76"/>
        <source>入力をやめて切断(&amp;D)</source>
        <translation>Stop and &amp;disconnect</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="81"/>
        <source>（ブラウザーの認証画面で入力する場合は空欄のまま）</source>
        <translation>(leave empty if you enter it on the authentication page)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="103"/>
        <source>メールのコードを使う(&amp;M)</source>
        <translation>Use the code from the &amp;mail</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="124"/>
        <source>ワンタイムパスワードのリクエストページをブラウザーで開きました。ページの案内に従ってリクエストしてください。</source>
        <translation>The one-time password request page is open in the browser. Follow the page to request the password.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="127"/>
        <source>ワンタイムパスワードのリクエスト先が設定されていません。基金の案内に従ってリクエストしてから、届いたワンタイムパスワードを入力してください。&lt;br&gt;リクエスト先のページを設定に登録すると、次回から接続時に自動で開きます（登録は社内の担当者にご依頼ください）。</source>
        <translation>No request page for the one-time password is set. Request it as the fund instructs, then enter the one-time password you receive.&lt;br&gt;Once the request page is added to the settings, it opens automatically when you connect (ask your IT contact to add it).</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="133"/>
        <source>お手元のワンタイムパスワードで接続します。</source>
        <translation>Connecting with the one-time password you already have.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="135"/>
        <source>電子連携サービスがワンタイムパスワードを受け付けませんでした。VPN接続は維持しています。</source>
        <translation>The service did not accept the one-time password. The VPN connection is kept.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="136"/>
        <source>ワンタイムパスワードのリクエストを送信しました。</source>
        <translation>The one-time password has been requested.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="141"/>
        <source>基金からのメールを自動で確認し、届きしだいワンタイムパスワードを入力します。
ご自分で入力することもできます。</source>
        <translation>The app checks the fund&apos;s e-mail and fills in the one-time password as soon as it arrives.
You can also type it yourself.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="144"/>
        <source>メールを確認しています…</source>
        <translation>Checking e-mail…</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="154"/>
        <source>メールからワンタイムパスワードを読み取りました。確認のうえ［VPN接続を開始］を押してください。</source>
        <translation>The one-time password was read from the e-mail. Check it and press &quot;Start VPN connection&quot;.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="159"/>
        <source>入力されたワンタイムパスワードは、基金からのメールの内容と一致しています。</source>
        <translation>The one-time password you entered matches the fund&apos;s e-mail.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="163"/>
        <source>基金からのメールを読み取りましたが、入力済みの内容は変更していません。メールのワンタイムパスワードを使う場合は、右のボタンを押してください。</source>
        <translation>The fund&apos;s e-mail was read, but what you typed was left unchanged. To use the one-time password from the e-mail, press the button on the right.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="178"/>
        <source>メールのワンタイムパスワードを入力しました。内容を確認して［VPN接続を開始］を押してください。</source>
        <translation>The one-time password from the e-mail has been entered. Check it and press &quot;Start VPN connection&quot;.</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="112"/>
        <source>送信待ちに追加(&amp;A)</source>
        <translation>&amp;Add to queue</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="127"/>
        <source>追加したファイル:</source>
        <translation>Added files:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="146"/>
        <source>送信ファイル名</source>
        <translation>Upload name</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="146"/>
        <source>届書名</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="146"/>
        <source>元のファイル</source>
        <translation>Original file</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="147"/>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="147"/>
        <source>進捗</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="147"/>
        <source>受付番号</source>
        <translation>Receipt no.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="164"/>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="572"/>
        <source>送信(&amp;U)</source>
        <translation>Sen&amp;d</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="167"/>
        <source>取り消し(&amp;X)</source>
        <translation>Cance&amp;l</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="169"/>
        <source>再試行(&amp;R)</source>
        <translation>&amp;Retry</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="171"/>
        <source>一覧から削除</source>
        <translation>Remove from list</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="185"/>
        <source>送信待ち・送信結果:</source>
        <translation>Queue and results:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="191"/>
        <source>送信準備フォルダー（ブラウザーで送信）</source>
        <translation>Upload-ready folder (send with the browser)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="200"/>
        <source>フォルダーを開く</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="198"/>
        <source>基金のページを開く(&amp;W)</source>
        <translation>Open the fund&apos;s &amp;web page</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="194"/>
        <source>基金のページの「届書の送信」で［ファイルを選択］を押すと、ここにあるパスワード付Zipファイルから選べます。既定のブラウザーをお使いのときは、この一覧からアップロード画面へドラッグしてください。</source>
        <translation>In the fund&apos;s page, “Choose file” on the upload page offers the password ZIPs listed here. When you use the system browser, drag them from this list onto its upload page.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="289"/>
        <source>確認しています...</source>
        <translation>Checking...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="316"/>
        <source>PDFファイルを確認しています。確認が終わるまでお待ちください。</source>
        <translation>Checking the PDF file. Please wait until the check is done.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="318"/>
        <source>PDFの確認で問題が見つかったため、このファイルは送信待ちに追加できません。内容を確認し、正しいPDFファイルを追加し直してください。</source>
        <translation>The PDF check found a problem, so this file cannot be added to the queue. Check its content and add a correct PDF file again.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="323"/>
        <source>「%1」は送信待ちの一覧にすでにあります（元のファイル: %2）。届書名と届出年月日をご確認ください。</source>
        <translation>&quot;%1&quot; is already in the queue (original file: %2). Check the form and the filing date.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="331"/>
        <source>送信履歴を確認できないため、追加できません（%1）。</source>
        <translation>Cannot add it because the upload history cannot be checked (%1).</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="333"/>
        <source>「%1」は本日すでに送信しています（元のファイル: %2）。同じ名前で別の届書を送ることはできません。届書名と届出年月日をご確認ください。</source>
        <translation>&quot;%1&quot; was already sent today (original file: %2). A different form cannot be sent under the same name. Check the form and the filing date.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="465"/>
        <source>送信待ち</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="466"/>
        <source>送信中</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="467"/>
        <source>送信完了</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="468"/>
        <source>失敗</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="469"/>
        <source>取り消し</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="470"/>
        <source>準備完了</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="551"/>
        <source>前回の送信が完了していません。</source>
        <translation>The upload from last time did not finish.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="572"/>
        <source>送信用Zipを作成(&amp;U)</source>
        <translation>Create ZIPs to sen&amp;d</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="58"/>
        <source>事業所の編集</source>
        <translation>Edit establishment</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="58"/>
        <source>事業所の追加</source>
        <translation>Add establishment</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="61"/>
        <source>例: 0123</source>
        <translation>e.g. 0123</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="63"/>
        <source>例: 株式会社さくら商事</source>
        <translation>e.g. Sakura Shoji Co., Ltd.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="66"/>
        <source>ブラウザーで利用（現在の基金のサービス）</source>
        <translation>In the browser (the fund&apos;s current service)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="67"/>
        <source>アプリから直接送受信</source>
        <translation>Directly from the app</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="75"/>
        <source>空欄の場合は自動で決めます</source>
        <translation>Chosen automatically when empty</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="76"/>
        <source>VPNクライアント（SoftEther）に登録済みの接続設定から選びます。</source>
        <translation>Choose from the connection settings registered in the VPN client (SoftEther).</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="78"/>
        <source>空欄の場合は設定の保存先フォルダーの下</source>
        <translation>Under the documents folder in Settings when empty</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="80"/>
        <source>ブラウザーのダウンロードフォルダー</source>
        <translation>The browser&apos;s download folder</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="81"/>
        <source>参照(&amp;B)...</source>
        <translation>&amp;Browse...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="84"/>
        <source>書類の保存先フォルダーを選択</source>
        <translation>Choose the documents folder</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="85"/>
        <source>参照(&amp;W)...</source>
        <translation>Bro&amp;wse...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="88"/>
        <source>ダウンロードフォルダーを選択</source>
        <translation>Choose the download folder</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="99"/>
        <source>保存済み（変更する場合のみ入力）</source>
        <translation>Saved (type only to change it)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="99"/>
        <source>基金から別のメールで届いたパスワード</source>
        <translation>The password the fund sent in a separate e-mail</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="102"/>
        <source>⚠ Zipファイルのパスワードが登録されていません。このままでも保存できますが、受信した書類を開けず、送信用のZipファイルも作成できません。基金から別のメールで届いたパスワードを入力してください。</source>
        <translation>⚠ No ZIP file password is set. You can still save, but received documents cannot be opened and ZIP files for sending cannot be created. Enter the password the fund sent in a separate e-mail.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="115"/>
        <source>事業所番号(&amp;N):</source>
        <translation>Establishment &amp;no.:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="115"/>
        <source>事業所名(&amp;M):</source>
        <translation>Establishment na&amp;me:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="116"/>
        <source>ユーザーID(&amp;U):</source>
        <translation>&amp;User ID:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="116"/>
        <source>利用方法(&amp;O):</source>
        <translation>M&amp;ode:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="117"/>
        <source>VPN接続設定名(&amp;V):</source>
        <translation>&amp;VPN connection name:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="118"/>
        <source>書類の保存先(&amp;D):</source>
        <translation>&amp;Documents folder:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="119"/>
        <source>ダウンロードフォルダー(&amp;L):</source>
        <translation>Down&amp;load folder:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="120"/>
        <source>Zipファイルのパスワード(&amp;P):</source>
        <translation>ZIP &amp;password:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="130"/>
        <source>パスワードはWindowsの資格情報マネージャーにだけ保存され、ファイルには書き込まれません。</source>
        <translation>The password is kept only in Windows Credential Manager, never in a file.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="167"/>
        <source>VPNクライアントの接続設定を読み出せませんでした。</source>
        <translation>Could not read the VPN client&apos;s connection settings.</translation>
    </message>
</context>
<context>
    <name>ProfilesPage</name>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="212"/>
        <source>事業所番号</source>
        <translation>Establishment no.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="212"/>
        <source>事業所名</source>
        <translation>Establishment</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="212"/>
        <source>ユーザーID</source>
        <translation>User ID</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="213"/>
        <source>利用方法</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="223"/>
        <source>事業所番号・事業所名・ユーザーIDの一部</source>
        <translation>Part of an establishment no., name or user ID</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="225"/>
        <source>絞り込み(&amp;S):</source>
        <translation>&amp;Search:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="230"/>
        <source>追加(&amp;A)...</source>
        <translation>&amp;Add...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="232"/>
        <source>編集(&amp;E)...</source>
        <translation>&amp;Edit...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="234"/>
        <source>削除(&amp;R)</source>
        <translation>&amp;Remove</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="261"/>
        <source>ブラウザー</source>
        <translation>browser</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="261"/>
        <source>直接</source>
        <translation>direct</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="307"/>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="311"/>
        <source>事業所の削除</source>
        <translation>Remove establishment</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="308"/>
        <source>接続中の事業所は削除できません。先に切断してください。</source>
        <translation>An establishment that is connected cannot be removed. Disconnect first.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="312"/>
        <source>事業所「%1」を一覧から削除しますか？
保存済みの書類と送受信履歴は削除されません。</source>
        <translation>Remove establishment &quot;%1&quot; from the list?
Saved documents and the history are kept.</translation>
    </message>
</context>
<context>
    <name>SessionBridge</name>
    <message>
        <location filename="../../src/denshi_client/ui/session_bridge.py" line="262"/>
        <source>接続していないため送受信できません。先に「接続」してください。</source>
        <translation>Not connected, so nothing can be sent or received. Connect first.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/session_bridge.py" line="331"/>
        <source>%1ページ</source>
        <translation>%1 pages</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/session_bridge.py" line="334"/>
        <source>問題ありません</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="95"/>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="461"/>
        <source>設定</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="110"/>
        <source>事業所(&amp;P)</source>
        <translation>Establishments (&amp;P)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="112"/>
        <source>フォルダー(&amp;F)</source>
        <translation>&amp;Folders</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="112"/>
        <source>接続時間(&amp;T)</source>
        <translation>Session &amp;time</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="113"/>
        <source>表示(&amp;V)</source>
        <translation>Displa&amp;y</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="113"/>
        <source>Zipファイル(&amp;Z)</source>
        <translation>&amp;ZIP files</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="114"/>
        <source>メール(&amp;M)</source>
        <translation>&amp;Mail</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="117"/>
        <source>メール設定をテスト(&amp;L)</source>
        <translation>Test mai&amp;l settings</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="167"/>
        <source>設定ファイルを読み込めませんでした: </source>
        <translation>The settings file could not be read: </translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="173"/>
        <source>書類の保存先フォルダー(&amp;D):</source>
        <translation>&amp;Documents folder:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="174"/>
        <source>切断前の警告（分前）(&amp;W):</source>
        <translation>&amp;Warn before the end (minutes):</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="175"/>
        <source>無操作で自動切断（分）(&amp;I):</source>
        <translation>&amp;Idle disconnect (minutes):</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="176"/>
        <source>送信待ち(&amp;Q):</source>
        <translation>Upload &amp;queue:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="177"/>
        <source>新着書類(&amp;N):</source>
        <translation>&amp;New documents:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="178"/>
        <source>作業後の自動切断(&amp;A):</source>
        <translation>&amp;Auto-disconnect after work:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="179"/>
        <source>表示言語(&amp;L):</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="180"/>
        <source>タスクトレイ(&amp;R):</source>
        <translation>Notification a&amp;rea:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="181"/>
        <source>暗号方式(&amp;E):</source>
        <translation>&amp;Encryption:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="182"/>
        <source>受信方式(&amp;R):</source>
        <translation>&amp;Receive mail via:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="183"/>
        <source>メールサーバー(&amp;H):</source>
        <translation>Mail server &amp;host:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="184"/>
        <source>ポート番号(&amp;N):</source>
        <translation>Port &amp;number:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="185"/>
        <source>暗号化(&amp;E):</source>
        <translation>&amp;Encryption:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="186"/>
        <source>ユーザー名(&amp;U):</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="187"/>
        <source>ルート証明書ファイル(&amp;C):</source>
        <translation>Root &amp;certificate file:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="188"/>
        <source>受信フォルダー(&amp;D):</source>
        <translation>Mail fol&amp;der:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="189"/>
        <source>送信元アドレス(&amp;S):</source>
        <translation>&amp;Sender address:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="190"/>
        <source>件名に含まれる語句(&amp;J):</source>
        <translation>Su&amp;bject contains:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="191"/>
        <source>メールを待つ時間(&amp;W):</source>
        <translation>&amp;Wait for the e-mail:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="192"/>
        <source>読み取った後(&amp;A):</source>
        <translation>&amp;After reading:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="198"/>
        <source>受信した書類は「事業所番号\受信\年\年月」のフォルダーに整理して保存します。空欄の場合は「ドキュメント\電子連携」です。</source>
        <translation>Received documents are filed under &quot;establishment no.\受信\year\year-month&quot;. Empty means Documents\電子連携.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="200"/>
        <source>例: 15, 5, 1（自動切断の15分前・5分前・1分前にお知らせします）</source>
        <translation>e.g. 15, 5, 1 (warns 15, 5 and 1 minutes before the automatic disconnect)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="201"/>
        <source>0 を指定すると、無操作による自動切断を行いません。</source>
        <translation>0 turns the idle disconnect off.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="203"/>
        <source>送受信が終わると結果と「30秒後に切断します」を表示し、この秒数の後に切断します。0 を指定すると、自動では切断しません。</source>
        <translation>When the transfers are done, the result and “Disconnecting in 30 seconds” are shown, and the VPN is disconnected after this many seconds. 0 = never disconnect by itself.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="205"/>
        <source>変更は次回の起動時から反映されます。</source>
        <translation>Takes effect the next time the app starts.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="206"/>
        <source>AES-256 は安全性が高い方式です。Windows標準の機能で開けない場合はZipCrypto（互換）を選んでください。</source>
        <translation>AES-256 is the secure choice. Choose ZipCrypto (compatible) if recipients cannot open the files with Windows&apos; own tools.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="208"/>
        <source>基金から届くワンタイムパスワードのメールを、VPN接続の前にこのアプリが読み取ります。「使わない」の場合は、これまでどおり手で入力します。</source>
        <translation>The app reads the fund&apos;s one-time password e-mail before the VPN connects. With &quot;Not used&quot;, you type the password by hand as before.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="210"/>
        <source>社内の認証局の証明書を使うメールサーバーの場合に指定します。空欄の場合は Windows の証明書ストアで確認します。</source>
        <translation>Set this for a mail server that uses a certificate from your company&apos;s own certificate authority. When empty, the Windows certificate store is used.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="212"/>
        <source>このアドレスから届いたメールだけを読みます。複数はカンマ区切り、「@ドメイン」も指定できます。</source>
        <translation>Only e-mail from this address is read. Separate several addresses with commas; &quot;@domain&quot; also works.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="231"/>
        <source>AES-256（推奨）</source>
        <translation>AES-256 (recommended)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="232"/>
        <source>ZipCrypto（互換）</source>
        <translation>ZipCrypto (compatible)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="236"/>
        <source>使わない（手で入力する）</source>
        <translation>Not used (type it by hand)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="236"/>
        <source>IMAP（推奨）</source>
        <translation>IMAP (recommended)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="244"/>
        <source>ウィンドウを閉じてもタスクトレイで実行を続ける</source>
        <translation>Keep running in the notification area when the window is closed</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="245"/>
        <source>確認せずに VPN 接続を開始する</source>
        <translation>Start the VPN connection without confirming</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="246"/>
        <source>接続したら送信待ちを自動で送信する</source>
        <translation>Send the queued files automatically after connecting</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="247"/>
        <source>接続したら新しい書類を自動で受信して保存する</source>
        <translation>Receive and save new documents automatically after connecting</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="255"/>
        <source>標準（方式に合わせる）</source>
        <translation>Default (matches the protocol)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="257"/>
        <source> 秒</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="259"/>
        <source>自動で切断しない</source>
        <translation>Do not disconnect</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="272"/>
        <source>参照...</source>
        <translation>Browse...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="283"/>
        <source>この項目は社内の管理者（IT担当者）が固定しているため、変更できません。</source>
        <translation>Locked by your IT administrator; it cannot be changed here.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="291"/>
        <source>フォルダーの選択</source>
        <translation>Choose a folder</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="298"/>
        <source>ワンタイムパスワードのメールを読む方式です。</source>
        <translation>How the one-time password e-mail is read.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="299"/>
        <source>「標準」の場合は、受信方式と暗号化に合わせた番号を使います。</source>
        <translation>With &quot;Default&quot;, the port that matches the protocol and encryption is used.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="300"/>
        <source>メールサーバーとの通信の暗号化の方式です。暗号化なしの接続はいたしません。</source>
        <translation>How the connection to the mail server is encrypted. Unencrypted connections are never made.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="301"/>
        <source>メールサーバーの証明書の確認に使うファイルです。</source>
        <translation>The file used to check the mail server&apos;s certificate.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="302"/>
        <source>IMAP の場合に読むフォルダーです（通常は受信トレイ）。</source>
        <translation>The folder read with IMAP (usually the Inbox).</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="303"/>
        <source>空欄の場合は、件名を問いません。</source>
        <translation>When empty, any subject is accepted.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="304"/>
        <source>この時間内にメールが届かない場合は、手で入力してください。</source>
        <translation>If no e-mail arrives within this time, type the password by hand.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="308"/>
        <source>ルート証明書ファイルの選択</source>
        <translation>Choose the root certificate file</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="309"/>
        <source>証明書 (*.pem *.crt *.cer);;すべてのファイル (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="324"/>
        <source>登録済み（変更する場合のみ入力）</source>
        <translation>Saved (type only to change it)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="325"/>
        <source>メールのパスワード（アプリ パスワード）</source>
        <translation>The mail password (app password)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="326"/>
        <source>パスワード(&amp;O):</source>
        <translation>Passw&amp;ord:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="329"/>
        <source>パスワードは Windows の資格情報マネージャーにだけ保存します。</source>
        <translation>The password is kept only in Windows Credential Manager.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="362"/>
        <source>受信方式で IMAP か POP3 を選んでください。</source>
        <translation>Choose IMAP or POP3 under &quot;Receive mail via&quot;.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="365"/>
        <source>メールサーバーとユーザー名を入力してください。</source>
        <translation>Enter the mail server and the user name.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="374"/>
        <source>メールサーバーに接続してテストしています…</source>
        <translation>Connecting to the mail server to test…</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="449"/>
        <source>パスワードを資格情報マネージャーに保存できませんでした: </source>
        <translation>The password could not be saved in Credential Manager: </translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="461"/>
        <source>表示言語は次回の起動時から切り替わります。</source>
        <translation>The language changes the next time the app starts.</translation>
    </message>
</context>
<context>
    <name>StatusHeader</name>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="78"/>
        <source>未接続</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="79"/>
        <source>接続中</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="80"/>
        <source>接続済み</source>
        <translation>Connected</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="81"/>
        <source>切断中</source>
        <translation>Disconnecting</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="87"/>
        <source>VPNには接続していません。インターネットとメールは通常どおり使えます。</source>
        <translation>The VPN is not connected. The internet and e-mail work as usual.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="89"/>
        <source>VPN接続中は、インターネットとメールは使えません。用事が済んだら切断してください。</source>
        <translation>While the VPN is connected, the internet and e-mail do not work. Disconnect when you are done.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="102"/>
        <source>残り %1</source>
        <translation>%1 left</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="104"/>
        <source>%1 に自動切断します（サービス終了 %2）</source>
        <translation>Automatic disconnect at %1 (service closes at %2)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="106"/>
        <source>%1 に自動切断します（90分の接続上限 %2）</source>
        <translation>Automatic disconnect at %1 (90-minute limit at %2)</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../src/denshi_client/ui/tray.py" line="29"/>
        <source>接続(&amp;C)</source>
        <translation>&amp;Connect</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/tray.py" line="30"/>
        <source>切断(&amp;D)</source>
        <translation>&amp;Disconnect</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/tray.py" line="31"/>
        <source>ウィンドウを表示(&amp;W)</source>
        <translation>Show &amp;window</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/tray.py" line="32"/>
        <source>終了(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/tray.py" line="48"/>
        <source>電子連携クライアント（未接続）</source>
        <translation>Denshi Client (not connected)</translation>
    </message>
</context>
<context>
    <name>UploadChooser</name>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py" line="107"/>
        <source>送信するファイルの選択</source>
        <translation>Choose the file to send</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py" line="111"/>
        <source>送信準備フォルダーのパスワード付きZIP（{0}）</source>
        <translation>Password ZIPs in the upload-ready folder ({0})</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py" line="119"/>
        <source>{0}（この接続で選択済み）</source>
        <translation>{0} (already chosen in this visit)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py" line="122"/>
        <source>送信準備フォルダーにZIPがありません。「送信」タブで書類を追加し、［送信用Zipを作成］を押してください。</source>
        <translation>The upload-ready folder has no ZIP. Add your documents on the “Send” tab and press “Create ZIPs to send”.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py" line="132"/>
        <source>選択(&amp;O)</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py" line="134"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py" line="135"/>
        <source>他のファイル(&amp;F)…</source>
        <translation>Other &amp;file…</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py" line="149"/>
        <source>送信するファイル</source>
        <translation>File to send</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py" line="150"/>
        <source>パスワード付きZIP (*.zip);;すべてのファイル (*)</source>
        <translation>Password ZIPs (*.zip);;All files (*)</translation>
    </message>
</context>
<context>
    <name>VisitController</name>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="156"/>
        <source>ブラウザーモード: 接続すると基金のページをこの画面に開きます。終わったらページでログアウトしてください（VPNも切断します）</source>
        <translation>Browser mode: once connected, the fund&apos;s page opens in this window. Log out in the page when you are done (the VPN is disconnected too)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="159"/>
        <source>ブラウザーモード: 接続後は基金の画面で操作し、終わったら「切断」を押してください</source>
        <translation>Browser mode: after connecting, work on the fund&apos;s pages and press &quot;Disconnect&quot; when you are done</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="167"/>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="310"/>
        <source>%1 %2件</source>
        <translation>%2 for %1</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="167"/>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="183"/>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="310"/>
        <source>・</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="169"/>
        <source>送信待ち %1件（%2）</source>
        <translation>%1 queued (%2)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="171"/>
        <source>送信待ちなし</source>
        <translation>Nothing queued</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="173"/>
        <source>新着書類の受信</source>
        <translation>Receive new documents</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="175"/>
        <source>受付中（%1まで）</source>
        <translation>Service open until %1</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="180"/>
        <source>受付時間外（次は %1 %2から）</source>
        <translation>Outside service hours (opens %1 at %2)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="182"/>
        <source>次の接続で: </source>
        <translation>Next connection: </translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="224"/>
        <source>作業が終わったら、基金のページでログアウトしてください。VPNも自動で切断します。</source>
        <translation>When you are done, log out in the fund&apos;s page. The VPN is disconnected automatically.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="226"/>
        <source>基金の画面での作業が終わったら、上の「切断」を押してください。</source>
        <translation>When you are done on the fund&apos;s pages, press &quot;Disconnect&quot; above.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="244"/>
        <source>接続しました。送信待ちの送信と新着書類の受信を自動で行っています。終わると自動で切断します。</source>
        <translation>Connected. Sending the queue and receiving new documents automatically. The VPN is disconnected automatically when this is done.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="246"/>
        <source>作業を始めています…</source>
        <translation>Starting the work…</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="255"/>
        <source>送信しました: %1（%2）</source>
        <translation>Sent: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="259"/>
        <source>受信して保存しました: %1（%2）</source>
        <translation>Received and saved: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="262"/>
        <source>一部の書類を処理できませんでした。終わりしだい内容をお知らせします。</source>
        <translation>Some documents could not be processed. The details follow when the work is done.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="293"/>
        <source>用事が済んだら「切断」を押してください。</source>
        <translation>Press &quot;Disconnect&quot; when you are done.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="305"/>
        <source>送信 %1件</source>
        <translation>%1 sent</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="312"/>
        <source>受信 %1件</source>
        <translation>%1 received</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="313"/>
        <source>（%1）</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="315"/>
        <source>作業が終わりました: </source>
        <translation>Work finished: </translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="315"/>
        <source>。</source>
        <translation>.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="315"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="317"/>
        <source>処理できなかった書類は次の接続でもう一度行います（送信待ちは「送信」タブ、受信の状況は「受信箱」タブでご確認ください）。</source>
        <translation> Documents that could not be processed will be tried again at the next connection (see the &quot;Send&quot; tab for the queue and the &quot;Inbox&quot; tab for receiving).</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="331"/>
        <source>%1秒後に切断します</source>
        <translation>Disconnecting in %1 seconds</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="352"/>
        <source>ログアウトしてVPNを切断しています…</source>
        <translation>Logging out and disconnecting the VPN…</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="359"/>
        <source>接続を続けています。用事が済んだら「切断」を押してください。</source>
        <translation>Staying connected. Press &quot;Disconnect&quot; when you are done.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="368"/>
        <source>。VPNは切断しました。</source>
        <translation> The VPN has been disconnected.</translation>
    </message>
</context>
<context>
    <name>VisitPanel</name>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="56"/>
        <source>今すぐ切断(&amp;Q)</source>
        <translation>D&amp;isconnect now</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/visit_panel.py" line="58"/>
        <source>接続を続ける(&amp;V)</source>
        <translation>Sta&amp;y connected</translation>
    </message>
</context>
<context>
    <name>ZipPasswordDialog</name>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="56"/>
        <source>パスワードを入力して開く</source>
        <translation>Open with password</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="63"/>
        <source>基金から通知されたZIPのパスワード</source>
        <translation>The ZIP password the fund sent you</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="64"/>
        <source>このパスワードを事業所 %1 のZIPパスワードとして保存する(&amp;S)</source>
        <translation>&amp;Save this password as the ZIP password of establishment %1</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="67"/>
        <source>保存すると、次回からこのパスワードで自動的に開きます（資格情報マネージャーに保存）。</source>
        <translation>Once saved, this password is used automatically next time (kept in Credential Manager).</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="75"/>
        <source>開いて保存</source>
        <translation>Open and save</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="77"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="83"/>
        <source>ZIPのパスワード:</source>
        <translation>ZIP password:</translation>
    </message>
</context>
</TS>
