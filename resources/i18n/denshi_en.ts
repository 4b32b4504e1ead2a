<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="ja_JP">
<context>
    <name>CloseChoice</name>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="41"/>
        <source>VPN接続中です</source>
        <translation>The VPN is connected</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="42"/>
        <source>VPNに接続したままです。どうしますか？</source>
        <translation>The VPN is still connected. What would you like to do?</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="43"/>
        <source>VPN接続中は、このPCでインターネットとメールが使えません。</source>
        <translation>While the VPN is connected, this PC cannot use the internet or e-mail.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="45"/>
        <source>自動切断まで %1 です。</source>
        <translation>%1 until the automatic disconnect.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="50"/>
        <source>タスクトレイで実行を続ける(&amp;T)</source>
        <translation>Keep running in the &amp;tray</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="52"/>
        <source>最小化して実行を続ける(&amp;M)</source>
        <translation>Keep running &amp;minimised</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="54"/>
        <source>切断して終了(&amp;D)</source>
        <translation>&amp;Disconnect and quit</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/lifecycle.py" line="56"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ConnectFlow</name>
    <message>
        <location filename="../../src/denshi_client/ui/connect_flow.py" line="86"/>
        <source>事業所が登録されていません。</source>
        <translation>No establishment has been set up.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/connect_flow.py" line="87"/>
        <source>「ファイル」→「設定」の「事業所」タブで、事業所を追加してください。</source>
        <translation>Add one under File → Settings → Establishments.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/connect_flow.py" line="107"/>
        <source>デモモード: 基金からのメールの代わりに、ワンタイムパスワードは「%1」です。</source>
        <translation>Demo mode: instead of the fund&apos;s e-mail, the one-time password is &quot;%1&quot;.</translation>
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
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="85"/>
        <source>送信するPDFファイルをここにドラッグ＆ドロップしてください</source>
        <translation>Drag and drop the PDF files to send here</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="87"/>
        <source>ファイルを選択(&amp;L)...</source>
        <translation>Choose &amp;files...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="94"/>
        <source>送信するPDFファイルを選択</source>
        <translation>Choose the PDF files to send</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="95"/>
        <source>PDFファイル (*.pdf);;すべてのファイル (*)</source>
        <translation>PDF files (*.pdf);;All files (*)</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="48"/>
        <source>ファイル名・受付番号などで検索</source>
        <translation>Search file names, receipt numbers...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="50"/>
        <source>検索(&amp;S):</source>
        <translation>&amp;Search:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="56"/>
        <source>送信・受信</source>
        <translation>Sent and received</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="57"/>
        <location filename="../../src/denshi_client/ui/history_view.py" line="177"/>
        <source>送信</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="58"/>
        <location filename="../../src/denshi_client/ui/history_view.py" line="177"/>
        <source>受信</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="59"/>
        <source>期間(&amp;P):</source>
        <translation>&amp;Dates:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="68"/>
        <source>CSVに書き出す(&amp;X)...</source>
        <translation>E&amp;xport CSV...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="75"/>
        <source>事業所:</source>
        <translation>Establishment:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="77"/>
        <source>区分:</source>
        <translation>Direction:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="89"/>
        <source>日時</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="89"/>
        <source>区分</source>
        <translation>Direction</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="89"/>
        <source>事業所番号</source>
        <translation>Establishment no.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="90"/>
        <source>ファイル名</source>
        <translation>File name</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="90"/>
        <source>サイズ</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="90"/>
        <source>結果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="91"/>
        <source>受付番号・詳細</source>
        <translation>Receipt / details</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="129"/>
        <source>すべて</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="177"/>
        <source>成功</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="177"/>
        <source>失敗</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="178"/>
        <source>取り消し</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="178"/>
        <source>未完了</source>
        <translation>Pending</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="189"/>
        <source>元のファイル名: </source>
        <translation>Original file name: </translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="199"/>
        <source>%1件（全%2件）</source>
        <translation>%1 shown (%2 in total)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="208"/>
        <source>CSVに書き出す</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="209"/>
        <source>CSVファイル (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/history_view.py" line="215"/>
        <source>%1件を書き出しました: %2</source>
        <translation>Exported %1 records: %2</translation>
    </message>
</context>
<context>
    <name>InboxView</name>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="66"/>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="204"/>
        <source>新着</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="66"/>
        <source>種類</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="66"/>
        <source>表題</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="66"/>
        <source>事業所番号</source>
        <translation>Establishment no.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="67"/>
        <source>日付</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="67"/>
        <source>サイズ</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="78"/>
        <source>一覧を更新(&amp;R)</source>
        <translation>&amp;Refresh list</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="81"/>
        <source>選択した書類をダウンロード(&amp;G)</source>
        <translation>Download &amp;selected</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="84"/>
        <source>すべてダウンロード(&amp;L)</source>
        <translation>Download a&amp;ll</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="87"/>
        <source>中止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="109"/>
        <source>ファイルを開く(&amp;O)</source>
        <translation>&amp;Open file</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="111"/>
        <source>フォルダーを開く(&amp;P)</source>
        <translation>Open fold&amp;er</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="124"/>
        <source>保存した書類（復号済み）:</source>
        <translation>Saved documents (decrypted):</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="135"/>
        <source>ダウンロードフォルダー（%1）を監視しています。</source>
        <translation>Watching the download folder (%1).</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="140"/>
        <source>「%1」を復号して保存しました。</source>
        <translation>Decrypted and saved &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="167"/>
        <source>ブラウザーで基金のページからダウンロードしたパスワード付Zipファイルは、接続中に自動で復号し、事業所のフォルダーに保存します。</source>
        <translation>Password-protected ZIP files you download from the fund&apos;s page in the browser are decrypted automatically while connected and saved in the establishment&apos;s folder.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="170"/>
        <source>基金から届いた書類です。ダウンロードすると自動で復号し、事業所のフォルダーに保存します。</source>
        <translation>Documents from the fund. Downloaded documents are decrypted automatically and saved in the establishment&apos;s folder.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="178"/>
        <source>一覧を取得しています...</source>
        <translation>Getting the list...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="209"/>
        <source>事業所 %1 の書類です。その事業所に切り替えてからダウンロードしてください。</source>
        <translation>A document of establishment %1. Switch to that establishment to download it.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="217"/>
        <source>この事業所の書類 %1件（新着 %2件）</source>
        <translation>%1 documents for this establishment (%2 new)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="220"/>
        <source>、ほかの事業所の書類 %1件（灰色）</source>
        <translation>, %1 for other establishments (grey)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="229"/>
        <source>接続すると、基金から届いた書類の一覧を表示します。</source>
        <translation>Connect to see the documents from the fund.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="266"/>
        <source>ダウンロード・復号中 %p%</source>
        <translation>Downloading and decrypting %p%</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="267"/>
        <source>%1件の書類をダウンロードしています...</source>
        <translation>Downloading %1 documents...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="285"/>
        <source>%1件の書類を保存しました（ファイル %2件）。</source>
        <translation>Saved %1 documents (%2 files).</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/inbox_view.py" line="305"/>
        <source>ダウンロードを中止しました。途中までのファイルは次回に続きから受信します。</source>
        <translation>Download stopped. It will continue from where it stopped next time.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="99"/>
        <source>事業所(&amp;E):</source>
        <translation>&amp;Establishment:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="101"/>
        <location filename="../../src/denshi_client/ui/main_window.py" line="288"/>
        <location filename="../../src/denshi_client/ui/main_window.py" line="303"/>
        <source>接続(&amp;C)</source>
        <translation>&amp;Connect</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="269"/>
        <source>接続(&amp;N)</source>
        <translation>Co&amp;nnection</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="106"/>
        <location filename="../../src/denshi_client/ui/main_window.py" line="307"/>
        <source>切断(&amp;D)</source>
        <translation>&amp;Disconnect</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="110"/>
        <source>認証画面を開く(&amp;B)</source>
        <translation>Open &amp;authentication page</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="133"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="228"/>
        <source>受信箱(&amp;1)</source>
        <translation>Inbox (&amp;1)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="229"/>
        <source>送信(&amp;2)</source>
        <translation>Send (&amp;2)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="230"/>
        <source>送受信履歴(&amp;3)</source>
        <translation>History (&amp;3)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py"/>
        <source>基金のページ(&amp;4)</source>
        <translation>Fund's page (&amp;4)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="275"/>
        <location filename="../../src/denshi_client/ui/main_window.py" line="276"/>
        <source>起動できませんでした。</source>
        <translation>Could not start.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="288"/>
        <source>ファイル(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="295"/>
        <source>設定(&amp;S)...</source>
        <translation>&amp;Settings...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="297"/>
        <source>終了(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="305"/>
        <source>ワンタイムパスワードを受信済みの場合の接続(&amp;O)...</source>
        <translation>Connect with a one-time password already &amp;received...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="309"/>
        <source>最新の情報に更新(&amp;R)</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="289"/>
        <source>ツール(&amp;T)</source>
        <translation>&amp;Tools</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="317"/>
        <source>初期設定アシスタント(&amp;W)...</source>
        <translation>Set-up &amp;wizard...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="319"/>
        <source>動作環境の診断(&amp;G)...</source>
        <translation>&amp;Diagnostics...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="289"/>
        <source>ヘルプ(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="324"/>
        <source>使い方(&amp;U)</source>
        <translation>&amp;How to use</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="327"/>
        <source>バージョン情報(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="337"/>
        <source>ブラウザー</source>
        <translation>browser</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="337"/>
        <source>直接</source>
        <translation>direct</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="342"/>
        <source>（事業所が登録されていません）</source>
        <translation>(no establishment set up)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="364"/>
        <source>デモモード</source>
        <translation>Demo mode</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="370"/>
        <source>準備しています...</source>
        <translation>Getting ready...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="392"/>
        <source>接続できませんでした。VPNは切断されています。</source>
        <translation>Could not connect. The VPN is disconnected.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="398"/>
        <location filename="../../src/denshi_client/ui/main_window.py" line="702"/>
        <source>電子連携クライアント</source>
        <translation>Denshi Client</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="424"/>
        <source>接続しました。用事が済んだら「切断」を押してください。</source>
        <translation>Connected. Press &quot;Disconnect&quot; when you are done.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="429"/>
        <source>インターネットへの接続が戻ったことを確認しました。</source>
        <translation>Normal internet access is back.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="430"/>
        <source>インターネットへの接続をまだ確認できません。しばらくしてからお試しください。</source>
        <translation>Internet access could not be confirmed yet. Please try again shortly.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="434"/>
        <source>サービス終了時刻</source>
        <translation>the service closing time</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="434"/>
        <source>90分の接続上限</source>
        <translation>the 90-minute limit</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="435"/>
        <source>あと約%1分で自動的にログアウトしてVPNを切断します（%2）。送受信中の作業は早めに済ませてください。</source>
        <translation>In about %1 min the app will log out and disconnect the VPN (%2). Please finish your transfers soon.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="439"/>
        <location filename="../../src/denshi_client/ui/main_window.py" line="445"/>
        <source>まもなく自動切断します</source>
        <translation>Disconnecting soon</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="442"/>
        <source>操作がないため、あと約%1分で自動的に切断します。続ける場合は画面を操作してください。</source>
        <translation>Nothing has been done for a while: the VPN will be disconnected in about %1 min. Use the window to keep working.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="452"/>
        <source>VPNを切断しました。</source>
        <translation>The VPN was disconnected.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="457"/>
        <location filename="../../src/denshi_client/ui/main_window.py" line="463"/>
        <location filename="../../src/denshi_client/ui/main_window.py" line="660"/>
        <source>VPNを切断しました</source>
        <translation>VPN disconnected</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="466"/>
        <location filename="../../src/denshi_client/ui/main_window.py" line="659"/>
        <source>インターネットとメールは通常どおり使えます。</source>
        <translation>The internet and e-mail work as usual again.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="470"/>
        <source>基金から新しい書類が%1件届いています。</source>
        <translation>%1 new documents from the fund.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="472"/>
        <source>新着の書類</source>
        <translation>New documents</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="478"/>
        <source>%1件の書類を保存しました。</source>
        <translation>Saved %1 documents.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="513"/>
        <source>接続できませんでした</source>
        <translation>Could not connect</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="551"/>
        <source>この機能はこのバージョンには含まれていません。</source>
        <translation>This feature is not included in this version.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="558"/>
        <source>初期設定アシスタント</source>
        <translation>Set-up wizard</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="569"/>
        <location filename="../../src/denshi_client/ui/main_window.py" line="575"/>
        <source>動作環境の診断</source>
        <translation>Diagnostics</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="590"/>
        <source>&lt;b&gt;毎日の使い方&lt;/b&gt;&lt;ol&gt;&lt;li&gt;「事業所」を選び、「接続」を押します。&lt;/li&gt;&lt;li&gt;ワンタイムパスワードのリクエストが送られます。届いたメールを&lt;b&gt;すぐに&lt;/b&gt;開き、ワンタイムパスワードを入力します（VPN接続中はメールが使えません）。&lt;/li&gt;&lt;li&gt;VPN接続とログインが終わると「接続済み」になり、残り時間が表示されます。&lt;/li&gt;&lt;li&gt;「受信箱」で書類をダウンロードし、「送信」で届書を送ります。&lt;/li&gt;&lt;li&gt;用事が済んだら「切断」を押します。上限時間（90分）やサービス終了（20時）の前には自動で切断します。&lt;/li&gt;&lt;/ol&gt;</source>
        <translation>&lt;b&gt;Daily use&lt;/b&gt;&lt;ol&gt;&lt;li&gt;Choose the establishment and press &quot;Connect&quot;.&lt;/li&gt;&lt;li&gt;A one-time password is requested. Open the e-mail &lt;b&gt;right away&lt;/b&gt; and enter the one-time password (e-mail does not work while the VPN is connected).&lt;/li&gt;&lt;li&gt;When the VPN and the login are done, the state shows &quot;Connected&quot; with the time left.&lt;/li&gt;&lt;li&gt;Download documents in &quot;Inbox&quot; and send forms in &quot;Send&quot;.&lt;/li&gt;&lt;li&gt;Press &quot;Disconnect&quot; when you are done. The app disconnects by itself before the 90-minute limit or the 20:00 close.&lt;/li&gt;&lt;/ol&gt;</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="598"/>
        <source>使い方</source>
        <translation>How to use</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="603"/>
        <source>バージョン情報</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="605"/>
        <source>バージョン %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="606"/>
        <source>企業年金基金の電子連携サービスを、安全な手順で利用するためのアプリです。</source>
        <translation>An app for using the pension fund&apos;s electronic linkage service safely, step by step.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="617"/>
        <source>デモモードで起動しています。基金のサービスとVPNは、このPCの中の練習用のものです。</source>
        <translation>Running in demo mode. The fund&apos;s service and the VPN are practice stand-ins on this PC.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="634"/>
        <source>送信 %1件（「送信」タブで接続後に「再試行」）</source>
        <translation>%1 upload(s) (connect, then &quot;Retry&quot; in the Send tab)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="636"/>
        <source>受信 %1件（接続後にもう一度ダウンロードすると続きから受信します）</source>
        <translation>%1 download(s) (connect and download again: it continues where it stopped)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="639"/>
        <source>前回完了しなかった送受信があります: </source>
        <translation>Transfers from last time did not finish: </translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="647"/>
        <source>VPNの状態を確認できませんでした。</source>
        <translation>Could not check the VPN state.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="663"/>
        <source>前回のVPN接続（%1）を切断できませんでした: </source>
        <translation>Could not disconnect the VPN left from last time (%1): </translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="702"/>
        <source>タスクトレイで実行を続けています。</source>
        <translation>Still running in the notification area.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="713"/>
        <source>VPN接続中です</source>
        <translation>The VPN is connected</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="714"/>
        <source>タスクトレイで実行を続けています。切断はアイコンのメニューからできます。</source>
        <translation>Still running in the notification area. Disconnect from the icon&apos;s menu.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/main_window.py" line="741"/>
        <source>ログアウトしてVPNを切断しています。終了までお待ちください...</source>
        <translation>Logging out and disconnecting the VPN. Please wait...</translation>
    </message>
</context>
<context>
    <name>NamingAssistant</name>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="138"/>
        <source>送信ファイル名の作成</source>
        <translation>Upload file name</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="141"/>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="200"/>
        <source>（ファイルを選んでください）</source>
        <translation>(choose a file)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="157"/>
        <source>例: 0123</source>
        <translation>e.g. 0123</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="173"/>
        <source>元のファイル:</source>
        <translation>Original file:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="174"/>
        <source>届書名(&amp;K):</source>
        <translation>&amp;Form:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="177"/>
        <source>届出年月日(&amp;Y):</source>
        <translation>Filing &amp;date:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="180"/>
        <source>事業所番号(&amp;M):</source>
        <translation>&amp;Establishment no.:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="183"/>
        <source>送信ファイル名:</source>
        <translation>Upload name:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="185"/>
        <source>PDFの確認:</source>
        <translation>PDF check:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="238"/>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="244"/>
        <source>（まだ作成できません）</source>
        <translation>(not complete yet)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="257"/>
        <source>事業所番号が、選択中の事業所（%1）と異なります。別の事業所の届書は、画面上部で事業所を切り替えてから送信してください。</source>
        <translation>The establishment number differs from the selected establishment (%1). To send for another establishment, switch the establishment at the top first.</translation>
    </message>
</context>
<context>
    <name>OtpDialog</name>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="27"/>
        <source>ワンタイムパスワードの入力</source>
        <translation>Enter one-time password</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="32"/>
        <source>ワンタイムパスワードのリクエストを送信しました。
基金から届くメールを&lt;b&gt;今すぐ&lt;/b&gt;開いて、ワンタイムパスワードを入力してください。</source>
        <translation>A one-time password has been requested.
Open the fund&apos;s e-mail &lt;b&gt;now&lt;/b&gt; and enter the one-time password.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="39"/>
        <source>メールはVPN接続中は使えません。VPN接続を開始する前に、ここで入力を済ませてください。</source>
        <translation>E-mail does not work while the VPN is connected. Enter the password here before the VPN connection starts.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="45"/>
        <source>ユーザーID: %1</source>
        <translation>User ID: %1</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="49"/>
        <source>例: 123456</source>
        <translation>e.g. 123456</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="52"/>
        <source>ワンタイムパスワード(&amp;O):</source>
        <translation>&amp;One-time password:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="57"/>
        <source>VPN接続を開始(&amp;S)</source>
        <translation>&amp;Start VPN connection</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/otp_dialog.py" line="63"/>
        <source>（ブラウザーの認証画面で入力する場合は空欄のまま）</source>
        <translation>(leave empty if you enter it on the authentication page)</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="287"/>
        <source>送信待ちに追加(&amp;A)</source>
        <translation>&amp;Add to queue</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="293"/>
        <source>追加したファイル:</source>
        <translation>Added files:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="309"/>
        <source>送信ファイル名</source>
        <translation>Upload name</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="309"/>
        <source>届書名</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="309"/>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="310"/>
        <source>進捗</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="310"/>
        <source>受付番号</source>
        <translation>Receipt no.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="321"/>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="639"/>
        <source>送信(&amp;U)</source>
        <translation>Sen&amp;d</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="324"/>
        <source>取り消し(&amp;X)</source>
        <translation>Cance&amp;l</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="326"/>
        <source>再試行(&amp;R)</source>
        <translation>&amp;Retry</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="328"/>
        <source>一覧から削除</source>
        <translation>Remove from list</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="342"/>
        <source>送信待ち・送信結果:</source>
        <translation>Queue and results:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="348"/>
        <source>送信準備フォルダー（ブラウザーで送信）</source>
        <translation>Upload-ready folder (send with the browser)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="351"/>
        <source>作成したパスワード付Zipファイルを、ブラウザーのアップロード画面へドラッグしてください。</source>
        <translation>Drag the prepared password-protected ZIP files into the browser&apos;s upload dialog.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="356"/>
        <source>フォルダーを開く</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="354"/>
        <source>基金のページを開く(&amp;W)</source>
        <translation>Open the fund&apos;s &amp;web page</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="412"/>
        <source>確認しています...</source>
        <translation>Checking...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="542"/>
        <source>送信待ち</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="543"/>
        <source>送信中</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="544"/>
        <source>送信完了</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="545"/>
        <source>失敗</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="546"/>
        <source>取り消し</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="547"/>
        <source>準備完了</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="620"/>
        <source>前回の送信が完了していません。</source>
        <translation>The upload from last time did not finish.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/outbox_view.py" line="639"/>
        <source>送信用Zipを作成(&amp;U)</source>
        <translation>Create ZIPs to sen&amp;d</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="45"/>
        <source>事業所の編集</source>
        <translation>Edit establishment</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="45"/>
        <source>事業所の追加</source>
        <translation>Add establishment</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="48"/>
        <source>例: 0123</source>
        <translation>e.g. 0123</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="50"/>
        <source>例: 株式会社さくら商事</source>
        <translation>e.g. Sakura Shoji Co., Ltd.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="53"/>
        <source>ブラウザーで利用（現在の基金のサービス）</source>
        <translation>In the browser (the fund&apos;s current service)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="54"/>
        <source>アプリから直接送受信</source>
        <translation>Directly from the app</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="57"/>
        <source>空欄の場合は自動で決めます</source>
        <translation>Chosen automatically when empty</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="59"/>
        <source>空欄の場合は設定の保存先フォルダーの下</source>
        <translation>Under the documents folder in Settings when empty</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="61"/>
        <source>ブラウザーのダウンロードフォルダー</source>
        <translation>The browser&apos;s download folder</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="74"/>
        <source>保存済み（変更する場合のみ入力）</source>
        <translation>Saved (type only to change it)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="74"/>
        <source>基金から別のメールで届いたパスワード</source>
        <translation>The password the fund sent in a separate e-mail</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="81"/>
        <source>事業所番号(&amp;N):</source>
        <translation>Establishment &amp;no.:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="81"/>
        <source>事業所名(&amp;M):</source>
        <translation>Establishment na&amp;me:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="82"/>
        <source>ユーザーID(&amp;U):</source>
        <translation>&amp;User ID:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="82"/>
        <source>利用方法(&amp;O):</source>
        <translation>M&amp;ode:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="83"/>
        <source>VPN接続設定名(&amp;V):</source>
        <translation>&amp;VPN connection name:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="84"/>
        <source>書類の保存先(&amp;D):</source>
        <translation>&amp;Documents folder:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="85"/>
        <source>ダウンロードフォルダー(&amp;L):</source>
        <translation>Down&amp;load folder:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="86"/>
        <source>Zipファイルのパスワード(&amp;P):</source>
        <translation>ZIP &amp;password:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="90"/>
        <source>パスワードはWindowsの資格情報マネージャーにだけ保存され、ファイルには書き込まれません。</source>
        <translation>The password is kept only in Windows Credential Manager, never in a file.</translation>
    </message>
</context>
<context>
    <name>ProfilesPage</name>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="148"/>
        <source>事業所番号</source>
        <translation>Establishment no.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="148"/>
        <source>事業所名</source>
        <translation>Establishment</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="148"/>
        <source>ユーザーID</source>
        <translation>User ID</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="149"/>
        <source>利用方法</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="156"/>
        <source>追加(&amp;A)...</source>
        <translation>&amp;Add...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="158"/>
        <source>編集(&amp;E)...</source>
        <translation>&amp;Edit...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="160"/>
        <source>削除(&amp;R)</source>
        <translation>&amp;Remove</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="187"/>
        <source>ブラウザー</source>
        <translation>browser</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="187"/>
        <source>直接</source>
        <translation>direct</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="214"/>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="218"/>
        <source>事業所の削除</source>
        <translation>Remove establishment</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="215"/>
        <source>接続中の事業所は削除できません。先に切断してください。</source>
        <translation>An establishment that is connected cannot be removed. Disconnect first.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/profiles_page.py" line="219"/>
        <source>事業所「%1」を一覧から削除しますか？
保存済みの書類と送受信履歴は削除されません。</source>
        <translation>Remove establishment &quot;%1&quot; from the list?
Saved documents and the history are kept.</translation>
    </message>
</context>
<context>
    <name>SessionBridge</name>
    <message>
        <location filename="../../src/denshi_client/ui/session_bridge.py" line="236"/>
        <source>接続していないため送受信できません。先に「接続」してください。</source>
        <translation>Not connected, so nothing can be sent or received. Connect first.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/session_bridge.py" line="274"/>
        <source>%1ページ</source>
        <translation>%1 pages</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/session_bridge.py" line="277"/>
        <source>問題ありません</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="88"/>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="279"/>
        <source>設定</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="103"/>
        <source>事業所(&amp;P)</source>
        <translation>Establishments (&amp;P)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="105"/>
        <source>フォルダー(&amp;F)</source>
        <translation>&amp;Folders</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="105"/>
        <source>接続時間(&amp;T)</source>
        <translation>Session &amp;time</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="106"/>
        <source>表示(&amp;V)</source>
        <translation>Displa&amp;y</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="106"/>
        <source>Zipファイル(&amp;Z)</source>
        <translation>&amp;ZIP files</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="144"/>
        <source>設定ファイルを読み込めませんでした: </source>
        <translation>The settings file could not be read: </translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="150"/>
        <source>書類の保存先フォルダー(&amp;D):</source>
        <translation>&amp;Documents folder:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="151"/>
        <source>切断前の警告（分前）(&amp;W):</source>
        <translation>&amp;Warn before the end (minutes):</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="152"/>
        <source>無操作で自動切断（分）(&amp;I):</source>
        <translation>&amp;Idle disconnect (minutes):</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="153"/>
        <source>表示言語(&amp;L):</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="154"/>
        <source>タスクトレイ(&amp;R):</source>
        <translation>Notification a&amp;rea:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="155"/>
        <source>暗号方式(&amp;E):</source>
        <translation>&amp;Encryption:</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="161"/>
        <source>受信した書類は「事業所番号\受信\年\年月」のフォルダーに整理して保存します。空欄の場合は「ドキュメント\電子連携」です。</source>
        <translation>Received documents are filed under &quot;establishment no.\受信\year\year-month&quot;. Empty means Documents\電子連携.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="163"/>
        <source>例: 15, 5, 1（自動切断の15分前・5分前・1分前にお知らせします）</source>
        <translation>e.g. 15, 5, 1 (warns 15, 5 and 1 minutes before the automatic disconnect)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="164"/>
        <source>0 を指定すると、無操作による自動切断を行いません。</source>
        <translation>0 turns the idle disconnect off.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="165"/>
        <source>変更は次回の起動時から反映されます。</source>
        <translation>Takes effect the next time the app starts.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="166"/>
        <source>AES-256 は安全性が高い方式です。Windows標準の機能で開けない場合はZipCrypto（互換）を選んでください。</source>
        <translation>AES-256 is the secure choice. Choose ZipCrypto (compatible) if recipients cannot open the files with Windows&apos; own tools.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="185"/>
        <source>AES-256（推奨）</source>
        <translation>AES-256 (recommended)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="186"/>
        <source>ZipCrypto（互換）</source>
        <translation>ZipCrypto (compatible)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="190"/>
        <source>ウィンドウを閉じてもタスクトレイで実行を続ける</source>
        <translation>Keep running in the notification area when the window is closed</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="209"/>
        <source>参照...</source>
        <translation>Browse...</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="217"/>
        <source>この項目は社内の管理者（IT担当者）が固定しているため、変更できません。</source>
        <translation>Locked by your IT administrator; it cannot be changed here.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="224"/>
        <source>フォルダーの選択</source>
        <translation>Choose a folder</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/settings_dialog.py" line="279"/>
        <source>表示言語は次回の起動時から切り替わります。</source>
        <translation>The language changes the next time the app starts.</translation>
    </message>
</context>
<context>
    <name>StatusHeader</name>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="74"/>
        <source>未接続</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="75"/>
        <source>接続中</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="76"/>
        <source>接続済み</source>
        <translation>Connected</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="77"/>
        <source>切断中</source>
        <translation>Disconnecting</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="84"/>
        <source>VPNには接続していません。インターネットとメールは通常どおり使えます。</source>
        <translation>The VPN is not connected. The internet and e-mail work as usual.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="86"/>
        <source>VPN接続中は、インターネットとメールは使えません。用事が済んだら切断してください。</source>
        <translation>While the VPN is connected, the internet and e-mail do not work. Disconnect when you are done.</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="99"/>
        <source>残り %1</source>
        <translation>%1 left</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="101"/>
        <source>%1 に自動切断します（サービス終了 %2）</source>
        <translation>Automatic disconnect at %1 (service closes at %2)</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/status_header.py" line="103"/>
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
    <name>EmbeddedPage</name>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py"/>
        <source>アプリ内ブラウザー（バージョン {0}）</source>
        <translation>In-app browser (version {0})</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py"/>
        <source>電子連携サービス</source>
        <translation>Denshi service</translation>
    </message>
</context>
<context>
    <name>UploadChooser</name>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py"/>
        <source>送信するファイルの選択</source>
        <translation>Choose the file to send</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py"/>
        <source>送信準備フォルダーのパスワード付きZIP（{0}）</source>
        <translation>Password ZIPs in the upload-ready folder ({0})</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py"/>
        <source>選択(&amp;O)</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py"/>
        <source>他のファイル(&amp;F)…</source>
        <translation>Other &amp;file…</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py"/>
        <source>送信するファイル</source>
        <translation>File to send</translation>
    </message>
    <message>
        <location filename="../../src/denshi_client/ui/web_page.py"/>
        <source>パスワード付きZIP (*.zip);;すべてのファイル (*)</source>
        <translation>Password ZIPs (*.zip);;All files (*)</translation>
    </message>
</context>
</TS>
